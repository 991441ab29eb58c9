using System.Text.Json.Nodes;
using PolicyGate.Tests.Audit;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Egress;

public sealed class EgressCliTests
{
    [Fact]
    public async Task Cli_manages_rules_modes_and_enforce_over_the_admin_api()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        string url = "http://" + node.Node.Options.Admin.Listen;
        Dictionary<string, string?> env = new() { ["POLICYGATE_ADMIN_TOKEN"] = TestNode.AdminToken };
        Task<PolicyGateProcess.Result> Run(params string[] args) => PolicyGateProcess.RunAsync(["egress", .. args, "--admin-url", url], env);

        PolicyGateProcess.Result approve = await Run("approve", "agent-c", "api.example.test:8443");
        Assert.Equal(0, approve.ExitCode);
        Assert.Contains("api.example.test", approve.Stdout);
        PolicyGateProcess.Result list = await Run("rules");
        string[] lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Contains(lines, l => l.Contains("agent-c") && l.Contains("api.example.test") && l.Contains("8443") && l.Contains("allow"));

        PolicyGateProcess.Result json = await Run("rules", "--json");
        JsonArray rules = (JsonArray)JsonNode.Parse(json.Stdout)!["rules"]!;
        Assert.Single(rules);

        Assert.Equal("agent-c: learn", (await Run("mode", "agent-c", "learn")).Stdout.Trim());
        Assert.Equal("agent-c: enforcing, 0 destination(s) promoted", (await Run("enforce", "agent-c")).Stdout.Trim());
        Assert.Equal("agent-c: strict", (await Run("mode", "agent-c")).Stdout.Trim());
        Assert.Contains("(none)", (await Run("pending")).Stdout);

        PolicyGateProcess.Result bad = await Run("approve", "agent-c", "a.test:0");
        Assert.Equal((1, "egress: destination: port 0 out of range (HTTP 400)"), (bad.ExitCode, bad.Stderr.Trim()));
        PolicyGateProcess.Result unauthorized = await PolicyGateProcess.RunAsync(["egress", "rules", "--admin-url", url, "--token", "wrong"],
            new Dictionary<string, string?> { ["POLICYGATE_ADMIN_TOKEN"] = null });
        // A 401 names where the token came from and which node answered (a token of another data dir is the usual cause).
        Assert.Equal((1, $"egress: unauthorized (HTTP 401; token from --token: is it the token of the node at {url}/?)"),
            (unauthorized.ExitCode, unauthorized.Stderr.Trim()));
        PolicyGateProcess.Result usage = await Run("mode", "agent-c", "open");
        Assert.NotEqual(0, usage.ExitCode);
    }
}
