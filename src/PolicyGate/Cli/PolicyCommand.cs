using System.CommandLine;
using System.Text.Json.Nodes;

namespace PolicyGate.Cli;

/// <summary>`policygate policy get|set|clear INSTANCE`: an instance's port policy through the admin API (DESIGN §2, §10).</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        Command policy = new("policy", "an instance's port policy: effective, reported and admin override (admin API client)");
        AdminCommandContext context = new("policy", policy);

        Argument<string> getId = new("INSTANCE") { Description = "instance id" };
        Command get = new("get", "show the effective port policy and where it comes from") { getId };
        get.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Get, PathOf(p.GetValue(getId)!), null, b => Render(p.GetValue(getId)!, b), ct));
        policy.Subcommands.Add(get);

        Argument<string> setId = new("INSTANCE") { Description = "instance id" };
        Argument<string> body = new("POLICY") { Description = "port policy JSON, e.g. '{\"ports\":[{\"port\":8080}],\"restrict_mode\":true}', or @FILE" };
        Command set = new("set", "set the admin override") { setId, body };
        set.SetAction(async (p, ct) =>
        {
            string text = p.GetValue(body)!;
            if (text.StartsWith('@'))
            {
                try
                {
                    text = await File.ReadAllTextAsync(text[1..], ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"policy: {text[1..]}: {e.Message}");
                    return ExitCodes.Usage;
                }
            }

            return await context.SendAsync(p, HttpMethod.Put, PathOf(p.GetValue(setId)!),
                () => new StringContent(text, System.Text.Encoding.UTF8, "application/json"), b => Render(p.GetValue(setId)!, b), ct);
        });
        policy.Subcommands.Add(set);

        Argument<string> clearId = new("INSTANCE") { Description = "instance id" };
        Command clear = new("clear", "remove the admin override (the instance's reported policy applies again)") { clearId };
        clear.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Delete, PathOf(p.GetValue(clearId)!), null, b => Render(p.GetValue(clearId)!, b), ct));
        policy.Subcommands.Add(clear);
        return policy;
    }

    private static string PathOf(string instanceId) => "instances/" + Uri.EscapeDataString(instanceId) + "/port-policy";

    private static string Render(string instanceId, JsonNode? body) =>
        $"{instanceId}: source {body?["source"]}, effective {body?["effective"]?.ToJsonString() ?? "none"}";
}
