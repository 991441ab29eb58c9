using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy;

namespace PolicyGate.Store;

/// <summary>Turns registry changes into audit entries: who (caller), what (kind, instance) and before → after.</summary>
internal sealed class RegistryAudit(IAuditLog auditLog)
{
    public void Changed(string kind, string caller, string instanceId, string tenantId, InstanceRecord? before, InstanceRecord? after)
    {
        JsonObject details = new()
        {
            ["caller"] = caller,
            ["before"] = before is null ? null : InstanceRecordJson.ToJson(before),
            ["after"] = after is null ? null : InstanceRecordJson.ToJson(after),
        };
        auditLog.Enqueue(new AuditEvent(kind, "change", ReasonOf(kind), instanceId, tenantId, details));
    }

    public void FetchFailed(string instanceId, string tenantId, Uri uri, string error, int attempts)
    {
        JsonObject details = new()
        {
            ["caller"] = PortPolicyFetchWorker.Caller,
            ["agent_url"] = uri.ToString(),
            ["attempts"] = attempts,
            ["error"] = error,
        };
        auditLog.Enqueue(new AuditEvent("instance.port_policy.fetch_failed", "error", error, instanceId, tenantId, details));
    }

    private static string ReasonOf(string kind) => kind switch
    {
        "admin.instance.register" => "instance registered",
        "admin.instance.reregister" => "instance re-registered",
        "admin.instance.delete" => "instance deleted",
        "admin.port_policy.override_set" => "port policy override set",
        "admin.port_policy.override_clear" => "port policy override cleared",
        "instance.port_policy.fetched" => "port policy fetched from agent",
        _ => kind,
    };
}
