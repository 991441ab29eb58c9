using System.Globalization;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Policy;

/// <summary>The admin API shapes of DESIGN §10 for an instance and its port-policy view (snake_case; absent = null).</summary>
public static class InstanceRecordJson
{
    public static JsonObject ToJson(InstanceRecord instance) => new()
    {
        ["instance_id"] = instance.InstanceId,
        ["app_id"] = instance.AppId,
        ["tenant_id"] = instance.TenantId,
        ["address"] = instance.Address,
        ["agent_url"] = instance.AgentUrl,
        ["compose_hash"] = instance.ComposeHash,
        ["registered_at"] = Timestamp(instance.RegisteredAt),
        ["last_seen"] = Timestamp(instance.LastSeen),
        ["port_policy"] = PortPolicyView(instance),
    };

    /// <summary><c>{effective, source, instance_reported, admin_override}</c>.</summary>
    public static JsonObject PortPolicyView(InstanceRecord instance) => new()
    {
        ["effective"] = PortPolicyJson.ToJson(instance.Effective),
        ["source"] = instance.EffectiveSource,
        ["instance_reported"] = PortPolicyJson.ToJson(instance.InstanceReported),
        ["admin_override"] = PortPolicyJson.ToJson(instance.EffectiveOverride),
    };

    /// <summary>ISO-8601 UTC with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
