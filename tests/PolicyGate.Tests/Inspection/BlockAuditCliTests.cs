using System.Net;
using System.Text.Json;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Inspection;
using PolicyGate.Tests.Audit;

namespace PolicyGate.Tests.Inspection;

/// <summary>A blocked response's audit_seq verifies with the `policygate audit verify` CLI (a real process).</summary>
public sealed class BlockAuditCliTests
{
    [Fact]
    public async Task Blocked_response_audit_seq_verifies_with_the_cli()
    {
        await using InspectionTestHost host = await InspectionTestHost.StartAsync(
            new Dictionary<string, string> { ["default"] = "" }, ["default"], InspectionBackend.HandleAsync);
        using HttpResponseMessage response = await host.Client.GetAsync(host.Url("default", "/sample?d=" + DetectorNames.SecretPrefix));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        long seq = body.RootElement.GetProperty("audit_seq").GetInt64();

        (AuditVerifyReport report, List<string> lines) = await host.VerifyAuditAsync();
        Assert.True(report.Valid);
        Assert.Contains(lines, l => l.Contains($"\"seq\":{seq},", StringComparison.Ordinal) && l.Contains("\"inspection.block\"", StringComparison.Ordinal));

        string data = host.Options.DataDirectory;
        PolicyGateProcess.Result cli = await PolicyGateProcess.RunAsync(
            ["audit", "verify", Path.Combine(data, "audit"), "--key-file", Path.Combine(data, "audit.key"), "--checkpoint-key", Path.Combine(data, "node.pub"), "--json"]);
        Assert.True(cli.ExitCode == 0, cli.Stdout + cli.Stderr);
        using JsonDocument verify = JsonDocument.Parse(cli.Stdout);
        Assert.True(verify.RootElement.GetProperty("valid").GetBoolean());
        Assert.True(verify.RootElement.GetProperty("entries_valid").GetInt64() >= seq);
    }
}
