using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Egress;

public sealed class EgressIdentityTests
{
    [Fact]
    public async Task Registered_instance_at_the_peer_address_is_the_caller_and_denials_reach_the_audit_chain()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync(recordAudit: false);
        (int status, _) = await node.PostAsync("/api/v1/instances", """{"instance_id":"inst_1","app_id":"myapp","address":"127.0.0.1"}""");
        Assert.Equal(200, status);

        // No proxy credentials: the instance registered at the socket peer's address (127.0.0.1) is the caller; rules match its app id.
        Assert.Equal("default:strict", (await node.RawAsync($"CONNECT 127.0.0.1:{http.Port} HTTP/1.1\r\n\r\n")).Reason);
        await node.PostAsync("/api/v1/egress/rules",
            new JsonObject { ["container"] = "myapp", ["destination"] = "127.0.0.1", ["port"] = http.Port.ToString() }.ToJsonString());
        Curl.Result allowed = await Curl.RunAsync(node.Proxy, $"http://127.0.0.1:{http.Port}/id", null);
        Assert.EndsWith("000 200", allowed.Stdout);
        // The instance wins over a Basic user name.
        Assert.EndsWith("000 200", (await Curl.RunAsync(node.Proxy, $"http://127.0.0.1:{http.Port}/id", "someone-else")).Stdout);

        string auditDir = Path.Combine(node.Node.DataDir, "audit");
        Assert.True(await EgressTestNode.EventuallyAsync(() => Task.FromResult(Directory.Exists(auditDir)
            && Directory.GetFiles(auditDir, "audit-*.jsonl").SelectMany(f => ReadShared(f)).Any(line =>
                line.Contains("\"kind\":\"egress.deny\"") && line.Contains("\"subject\":\"inst_1\"") && line.Contains("\"reason\":\"default:strict\"")))));
        Assert.Contains(Directory.GetFiles(auditDir, "audit-*.jsonl").SelectMany(f => ReadShared(f)),
            line => line.Contains("\"kind\":\"admin.egress.rule.create\"") && line.Contains("admin-token:"));
    }

    private static string[] ReadShared(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using StreamReader reader = new(stream);
        return reader.ReadToEnd().Split('\n');
    }
}
