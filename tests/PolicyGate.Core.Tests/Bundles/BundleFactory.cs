using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Bundles;

namespace PolicyGate.Core.Tests.Bundles;

/// <summary>Builds signed test bundles: a valid payload as a JsonObject to mutate, signed with a fresh key.</summary>
internal sealed class BundleFactory : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public BundleSigningKey Key { get; } = BundleSigningKey.Generate();

    public string[] Trusted => [Key.KeyId];

    public static JsonObject Payload(ulong version = 1, string previous = "") => new()
    {
        ["schema_version"] = 1,
        ["bundle_id"] = "b-" + version,
        ["fleet_id"] = "fleet-a",
        ["version"] = version,
        ["previous_bundle_hash"] = previous,
        ["created_at"] = "2026-06-01T11:00:00Z",
        ["not_before"] = "2026-06-01T11:00:00Z",
        ["expires_at"] = "2026-06-02T12:00:00Z",
        ["audience"] = new JsonObject { ["node_ids"] = new JsonArray("node-1") },
        ["sections"] = new JsonObject
        {
            ["egress_rules"] = new JsonArray(new JsonObject { ["container"] = "*", ["destination"] = "api.example.com", ["port"] = "443" }),
            ["port_overrides"] = new JsonObject { ["web1"] = new JsonObject { ["restrict_mode"] = true, ["ports"] = new JsonArray(new JsonObject { ["port"] = 8080 }) } },
            ["tenants"] = new JsonObject { ["acme"] = new JsonObject { ["inspection"] = new JsonObject { ["mode"] = "redact", ["detectors"] = new JsonArray("email") } } },
        },
    };

    public byte[] Sign(JsonObject payload) => Sign(Encoding.UTF8.GetBytes(payload.ToJsonString()));

    public byte[] Sign(byte[] payload) => BundleEnvelopeWriter.Write(payload, [Key.Sign(payload)]);

    public BundleVerdict Verify(byte[] envelope, ulong? activeVersion = null, string? activeHash = null, DateTimeOffset? now = null, string node = "node-1") =>
        BundleVerifier.Verify(envelope, new BundleVerifyContext(Trusted, now ?? Now, node, new Dictionary<string, string> { ["zone"] = "eu" }, activeVersion, activeHash));

    public void Dispose() => Key.Dispose();
}
