using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Bundles;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Cluster;

/// <summary>Payloads for the cluster tests: allow one egress destination and one edge port for instance web1, signed with a test key.</summary>
internal sealed class TestBundles(int egressPort, int edgePort) : IDisposable
{
    public BundleSigningKey Key { get; } = BundleSigningKey.Generate();

    public int EgressPort => egressPort;

    public int EdgePort => edgePort;

    public JsonObject Payload(ulong version, string previous, string audience = "follower-1") => new()
    {
        ["schema_version"] = 1,
        ["bundle_id"] = "fleet-policy-" + version,
        ["fleet_id"] = "test-fleet",
        ["version"] = version,
        ["previous_bundle_hash"] = previous,
        ["created_at"] = Rfc3339(DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["not_before"] = Rfc3339(DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["expires_at"] = Rfc3339(DateTimeOffset.UtcNow.AddHours(1)),
        ["audience"] = new JsonObject { ["node_ids"] = new JsonArray("leader-1", audience) },
        ["sections"] = new JsonObject
        {
            ["egress_rules"] = new JsonArray(new JsonObject { ["container"] = "*", ["destination"] = "127.0.0.1", ["port"] = egressPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ["port_overrides"] = new JsonObject { ["web1"] = new JsonObject { ["restrict_mode"] = true, ["ports"] = new JsonArray(new JsonObject { ["port"] = edgePort }) } },
            // The backend echoes the request head (addresses included): the default tenant only monitors, so the answer passes.
            ["inspection"] = new JsonObject { ["mode"] = "monitor" },
        },
    };

    public byte[] Sign(JsonObject payload) => Sign(Encoding.UTF8.GetBytes(payload.ToJsonString()));

    public static byte[] Sign(JsonObject payload, BundleSigningKey key)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return BundleEnvelopeWriter.Write(bytes, [key.Sign(bytes)]);
    }

    public byte[] Sign(byte[] payload) => BundleEnvelopeWriter.Write(payload, [Key.Sign(payload)]);

    public static string HashOf(JsonObject payload) => BundleKeyId.Sha256(Encoding.UTF8.GetBytes(payload.ToJsonString()));

    public static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>HTTP status of `curl -x egress http://127.0.0.1:port/` ("200", "403").</summary>
    public async Task<string> EgressAsync(ClusterNode node)
    {
        (int _, string output) = await ToolRun.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %header{x-policygate-reason}", "--max-time", "10", "--noproxy", "",
            "-x", $"http://127.0.0.1:{node.EgressPort}", $"http://127.0.0.1:{egressPort}/"]);
        return output.Trim();
    }

    /// <summary>HTTP status through the node's edge to web1's port ("200"; "000" when the edge closes the connection) and X-PolicyGate-Blocked.</summary>
    public async Task<string> EdgeAsync(ClusterNode node)
    {
        string host = $"web1-{edgePort}.localhost";
        (int _, string output) = await ToolRun.RunAsync("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code} %header{x-policygate-blocked}", "--max-time", "10", "--noproxy", "*",
            "--resolve", $"{host}:{node.EdgePort}:127.0.0.1", $"https://{host}:{node.EdgePort}/"]);
        return output.Trim();
    }

    public void Dispose() => Key.Dispose();
}
