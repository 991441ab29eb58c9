using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Audit;

/// <summary>Tampers with a real chain's files in each way DESIGN §11 names; the CLI process and the admin API must name each.</summary>
public sealed class AuditTamperTests(AuditChainFixture chain) : IClassFixture<AuditChainFixture>
{
    public static TheoryData<string, long, string> Tampers => new()
    {
        { "modified field", 5, "mac mismatch" },
        { "deleted entry", 7, "seq gap" },
        { "swapped pair", 3, "seq out of order" },
        { "truncated tail", 10, "truncated before checkpoint" },
        { "unknown key id", 9, "unknown key id" },
    };

    [Fact]
    public async Task UntouchedChainIsValid()
    {
        string dir = chain.CopyChain();
        PolicyGateProcess.Result text = await Verify(dir);
        Assert.Equal(0, text.ExitCode);
        Assert.Equal($"{AuditChainFixture.Entries}/{AuditChainFixture.Entries} entries valid, 1/1 checkpoints valid", text.Stdout.Trim());
        Assert.Equal("", text.Stderr);

        PolicyGateProcess.Result json = await Verify(dir, "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal($$"""{"valid":true,"entries_total":12,"entries_valid":12,"checkpoints_total":1,"checkpoints_valid":1,"first_error":null}""", json.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(Tampers))]
    public async Task CliNamesEachTamperWithExitCodeOne(string tamper, long seq, string reason)
    {
        string dir = chain.CopyChain();
        Tamper(dir, tamper);

        PolicyGateProcess.Result text = await Verify(dir);
        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith($"seq {seq}: {reason}", text.Stdout.Trim());
        Assert.Single(text.Stdout.Trim().Split('\n'));

        PolicyGateProcess.Result json = await Verify(dir, "--json");
        Assert.Equal(1, json.ExitCode);
        JsonObject report = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.False(report["valid"]!.GetValue<bool>());
        Assert.Equal(seq, report["first_error"]!["seq"]!.GetValue<long>());
        Assert.Equal(reason, report["first_error"]!["reason"]!.GetValue<string>());
        Assert.Equal(["valid", "entries_total", "entries_valid", "checkpoints_total", "checkpoints_valid", "first_error"], report.Select(p => p.Key).ToArray());
    }

    [Theory]
    [MemberData(nameof(Tampers))]
    public async Task AdminApiNamesEachTamper(string tamper, long seq, string reason)
    {
        string dir = chain.CopyChain();
        Tamper(dir, tamper);
        string cliJson = (await Verify(dir, "--json")).Stdout.Trim();

        await using TestNode node = await TestNode.StartAsync(chain.Configure(dir));
        using HttpResponseMessage response = await node.Admin.GetAsync("/api/v1/audit/verify");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        JsonObject report = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(seq, report["first_error"]!["seq"]!.GetValue<long>());
        Assert.Equal(reason, report["first_error"]!["reason"]!.GetValue<string>());
        Assert.Equal(cliJson, body);
    }

    [Fact]
    public async Task DefaultsAreTheEnvironmentKeyAndNodePubInTheParentDirectory()
    {
        string dir = chain.CopyChain(); // its parent holds node.pub (and audit.key, which the env key takes precedence over)
        PolicyGateProcess.Result ok = await PolicyGateProcess.RunAsync(["audit", "verify", dir],
            new Dictionary<string, string?> { ["POLICYGATE_AUDIT_KEY"] = chain.KeyHex });
        Assert.Equal(0, ok.ExitCode);

        PolicyGateProcess.Result other = await PolicyGateProcess.RunAsync(["audit", "verify", dir],
            new Dictionary<string, string?> { ["POLICYGATE_AUDIT_KEY"] = Convert.ToHexStringLower(AuditHmacKey.Generate().RawKey) });
        Assert.Equal(1, other.ExitCode);
        Assert.StartsWith("seq 1: unknown key id", other.Stdout);
    }

    [Fact]
    public async Task UsageErrorsExitTwoWithOneLine()
    {
        string isolated = Path.Combine(chain.Root, "isolated-" + Guid.NewGuid().ToString("N")[..8]);
        string dir = Path.Combine(isolated, "audit");
        Directory.CreateDirectory(isolated);
        Directory.Move(chain.CopyChain(), dir);
        string badKey = Path.Combine(isolated, "bad.key");
        File.WriteAllText(badKey, "xyz\n");

        (string[] Args, string Message)[] cases =
        [
            (["audit", "verify", dir], "audit verify: no HMAC key: pass --key-file or set POLICYGATE_AUDIT_KEY"),
            (["audit", "verify", dir, "--key-file", badKey], $"audit verify: --key-file: {badKey}: expected 64 hex characters, found 3"),
            (["audit", "verify", dir, "--key-file", chain.KeyFile], $"audit verify: --checkpoint-key: {Path.Combine(isolated, "node.pub")} not found (the node's node.pub)"),
            (["audit", "verify", dir, "--key-file", chain.KeyFile, "--checkpoint-key", badKey], $"audit verify: --checkpoint-key: {badKey}: expected 64 hex characters, found 3"),
            (["audit", "verify", Path.Combine(isolated, "nope"), "--key-file", chain.KeyFile], $"audit verify: {Path.Combine(isolated, "nope")}: no such directory"),
            (["audit", "verify"], "audit verify: DIR is required (the audit directory, e.g. ./data/audit)"),
            (["audit", "verify", dir, "--key-file", chain.KeyFile, "--bogus"], "policygate: Unrecognized command or argument '--bogus'."),
            (["audit", "verify", dir, dir, "--key-file", chain.KeyFile], $"policygate: Unrecognized command or argument '{dir}'."),
        ];
        foreach ((string[] args, string message) in cases)
        {
            PolicyGateProcess.Result result = await PolicyGateProcess.RunAsync(args);
            Assert.Equal(2, result.ExitCode);
            Assert.Equal(message, result.Stderr.Trim());
            Assert.Equal("", result.Stdout);
        }
    }

    private Task<PolicyGateProcess.Result> Verify(string dir, params string[] extra) =>
        PolicyGateProcess.RunAsync(["audit", "verify", dir, "--key-file", chain.KeyFile, "--checkpoint-key", chain.PublicKeyFile, .. extra]);

    private static void Tamper(string dir, string tamper)
    {
        string segment = Path.Combine(dir, "audit-1.jsonl");
        List<string> lines = [.. File.ReadAllLines(segment)];
        Assert.Equal(AuditChainFixture.Entries, lines.Count);
        switch (tamper)
        {
            case "modified field":
                lines[4] = lines[4].Replace("\"subject\":\"instance-5\"", "\"subject\":\"instance-6\"", StringComparison.Ordinal);
                break;
            case "deleted entry":
                lines.RemoveAt(6);
                break;
            case "swapped pair":
                (lines[2], lines[3]) = (lines[3], lines[2]);
                break;
            case "truncated tail":
                lines.RemoveRange(9, 3);
                break;
            case "unknown key id":
                string keyId = JsonNode.Parse(lines[8])!["key_id"]!.GetValue<string>();
                lines[8] = lines[8].Replace(keyId, "hmac-ffffffffffffffff", StringComparison.Ordinal);
                break;
        }
        File.WriteAllText(segment, string.Concat(lines.Select(l => l + "\n")));
    }
}
