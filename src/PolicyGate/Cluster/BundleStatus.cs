using System.Globalization;
using System.Text.Json.Nodes;

namespace PolicyGate.Cluster;

/// <summary>What GET /api/v1/policy/status reports: role, the active bundle, the last poll (follower) and the published bundle (leader).</summary>
public sealed class BundleStatus(string role, string nodeId, ActiveBundle active)
{
    private readonly Lock _lock = new();
    private JsonObject? _lastPoll;

    public void RecordPoll(DateTimeOffset at, string outcome, string? error)
    {
        lock (_lock)
        {
            _lastPoll = new JsonObject { ["at"] = Time(at), ["outcome"] = outcome, ["error"] = error };
        }
    }

    public JsonObject ToJson(AppliedBundle? published)
    {
        JsonObject body = new() { ["role"] = role, ["node_id"] = nodeId, ["active"] = Describe(active.Current) };
        if (role == ClusterRoles.Follower)
        {
            lock (_lock)
            {
                body["last_poll"] = _lastPoll?.DeepClone();
            }
        }

        if (role == ClusterRoles.Leader)
        {
            body["published"] = Describe(published);
        }

        return body;
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject? Describe(AppliedBundle? bundle) => bundle is null ? null : new JsonObject
    {
        ["version"] = bundle.Payload.Version,
        ["bundle_id"] = bundle.Payload.BundleId,
        ["hash"] = bundle.Bundle.Hash,
        ["applied_at"] = Time(bundle.AppliedAt),
        ["source"] = bundle.Source,
        ["sections"] = new JsonArray(bundle.Payload.Sections.Names().Select(n => (JsonNode)n).ToArray()),
        ["expires_at"] = Time(bundle.Payload.ExpiresAt),
    };
}
