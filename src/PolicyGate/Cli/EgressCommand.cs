using System.CommandLine;
using System.Text.Json.Nodes;

namespace PolicyGate.Cli;

/// <summary>`policygate egress rules|sessions|learned|pending|approve|deny|enforce|mode ...`: admin client over the REST API (tables or --json).</summary>
public static class EgressCommand
{
    private static readonly (string, string)[] s_ruleColumns =
        [("ID", "id"), ("SOURCE", "source"), ("CONTAINER", "container"), ("DESTINATION", "destination"), ("PORT", "port"), ("ACTION", "action"),
         ("EXPIRES", "expires_at"), ("NOTES", "notes")];

    private static readonly (string, string)[] s_statsColumns =
        [("CONTAINER", "container"), ("HOST", "host"), ("PORT", "port"), ("COUNT", "count"), ("FIRST SEEN", "first_seen"), ("LAST SEEN", "last_seen")];

    public static Command Create()
    {
        Command egress = new("egress", CliHelp.Egress);
        AdminCommandContext context = new("egress", egress);

        Command rules = new("rules", "list global, session and builtin rules");
        rules.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Get, "egress/rules", null, b => EgressTable.Render(Rows(b, "rules"), s_ruleColumns), ct));
        Option<string> container = new("--container") { Description = "container glob (instance or app id)", Required = true };
        Option<string> destination = new("--destination") { Description = "*, CIDR, **.domain, *.domain or exact host", Required = true };
        Option<string> port = new("--port") { Description = "*, 443, 80,443 or 8000-9000", DefaultValueFactory = _ => "*" };
        Option<string> action = new("--action") { Description = "allow | deny", DefaultValueFactory = _ => "allow" };
        Option<string?> expires = new("--expires-at") { Description = "RFC 3339 expiry (temporary grant)" };
        Option<string?> notes = new("--notes") { Description = "free text" };
        Command add = new("add", "add a global rule") { container, destination, port, action, expires, notes };
        add.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Post, "egress/rules", new JsonObject
        {
            ["container"] = p.GetValue(container), ["destination"] = p.GetValue(destination), ["port"] = p.GetValue(port),
            ["action"] = p.GetValue(action), ["expires_at"] = p.GetValue(expires), ["notes"] = p.GetValue(notes),
        }, b => EgressTable.Render([b?.DeepClone()], s_ruleColumns), ct));
        Argument<string> ruleId = new("ID") { Description = "rule id" };
        Command delete = new("delete", "delete a global rule") { ruleId };
        delete.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Delete, "egress/rules/" + Uri.EscapeDataString(p.GetValue(ruleId)!), null,
            _ => $"deleted {p.GetValue(ruleId)}", ct));
        rules.Subcommands.Add(add);
        rules.Subcommands.Add(delete);
        egress.Subcommands.Add(rules);

        Command sessions = new("sessions", "list live sessions");
        sessions.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Get, "sessions", null, b => EgressTable.Render(Rows(b, "sessions"),
            ("SESSION", "session_id"), ("CONTAINER", "container"), ("ALLOW ALL", "allow_all"), ("TTL", "ttl_seconds"), ("CREATED", "created_at"),
            ("EXPIRES", "expires_at")), ct));
        egress.Subcommands.Add(sessions);

        foreach (string list in new[] { "learned", "pending" })
        {
            Option<string?> filter = new("--container") { Description = "only this container" };
            Command command = new(list, list == "learned" ? "destinations seen in learn mode" : "destinations denied by strict mode, awaiting review") { filter };
            command.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Get,
                "egress/" + list + (p.GetValue(filter) is { } c ? "?container=" + Uri.EscapeDataString(c) : ""), null,
                b => EgressTable.Render(Rows(b, list), s_statsColumns), ct));
            egress.Subcommands.Add(command);
        }

        foreach (string verb in new[] { "approve", "deny" })
        {
            Argument<string> who = new("CONTAINER") { Description = "container (instance or app id, or glob)" };
            Argument<string> where = new("DESTINATION") { Description = "host, IP, or host:port" };
            Option<int?> verbPort = new("--port") { Description = "port (default 443 unless DESTINATION has one)" };
            Command command = new(verb, verb == "approve" ? "add a global allow rule and clear the pending entry" : "add a global deny rule") { who, where, verbPort };
            command.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Post, "egress/" + verb, new JsonObject
            {
                ["container"] = p.GetValue(who), ["destination"] = p.GetValue(where), ["port"] = p.GetValue(verbPort),
            }, b => EgressTable.Render([b?.DeepClone()], s_ruleColumns), ct));
            egress.Subcommands.Add(command);
        }

        Argument<string> enforced = new("CONTAINER") { Description = "instance or app id" };
        Command enforce = new("enforce", "promote learned destinations to allow rules and switch to strict") { enforced };
        enforce.SetAction((p, ct) => context.RunAsync(p, HttpMethod.Post, "egress/enforce", new JsonObject { ["container"] = p.GetValue(enforced) },
            b => $"{p.GetValue(enforced)}: {b?["status"]}, {b?["promoted"]} destination(s) promoted", ct));
        egress.Subcommands.Add(enforce);

        Argument<string> modeContainer = new("CONTAINER") { Description = "instance or app id" };
        Argument<string?> newMode = new("MODE") { Description = "learn | strict (omit to show)", Arity = ArgumentArity.ZeroOrOne };
        newMode.AcceptOnlyFromAmong("learn", "strict");
        Command mode = new("mode", "show or set a container's mode") { modeContainer, newMode };
        mode.SetAction((p, ct) =>
        {
            string path = "egress/containers/" + Uri.EscapeDataString(p.GetValue(modeContainer)!) + "/mode";
            string? value = p.GetValue(newMode);
            return context.RunAsync(p, value is null ? HttpMethod.Get : HttpMethod.Put, path, value is null ? null : new JsonObject { ["mode"] = value },
                b => $"{b?["container"]}: {b?["mode"]}", ct);
        });
        egress.Subcommands.Add(mode);
        return egress;
    }

    private static JsonArray Rows(JsonNode? body, string field) => body?[field] as JsonArray ?? [];
}
