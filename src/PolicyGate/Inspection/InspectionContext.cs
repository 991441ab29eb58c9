using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Edge;

namespace PolicyGate.Inspection;

/// <summary>Per-response facts for audit entries and block responses: tenant, subject, request line, the audit log.</summary>
internal sealed class InspectionContext
{
    private string? _subject;

    public InspectionContext(HttpContext http, string tenantId, TenantPolicy? policy, IAuditLog audit, long holdBytes)
    {
        Http = http;
        TenantId = tenantId;
        Policy = policy;
        Audit = audit;
        HoldBytes = holdBytes;
    }

    public HttpContext Http { get; }
    public string TenantId { get; }
    public TenantPolicy? Policy { get; }
    public IAuditLog Audit { get; }
    public long HoldBytes { get; }

    /// <summary>The audited subject (instance:port, else the Host), built only when an entry or block response needs it.</summary>
    public string Subject => _subject ??= BuildSubject();

    private string BuildSubject()
    {
        EdgeConnectionFeature? edge = Http.Features.Get<EdgeConnectionFeature>();
        return edge is null ? Http.Request.Host.Value ?? "" : $"{edge.Instance.InstanceId}:{edge.Port}";
    }

    public AuditEvent Event(string kind, string decision, string reason, IEnumerable<string> detectors, JsonObject? extra = null)
    {
        JsonObject details = new()
        {
            ["method"] = Http.Request.Method,
            ["path"] = Http.Request.Path.Value,
            ["status"] = Http.Response.StatusCode,
            ["detectors"] = new JsonArray(detectors.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
        };
        if (extra is not null)
        {
            foreach ((string key, JsonNode? value) in extra)
            {
                details[key] = value?.DeepClone();
            }
        }

        return new AuditEvent(kind, decision, reason, Subject, TenantId, details);
    }

    /// <summary>Queues an entry (monitor, redact, disagreement); never blocks the response.</summary>
    public void Enqueue(string kind, string decision, string reason, IEnumerable<string> detectors, JsonObject? extra = null) =>
        Audit.Enqueue(Event(kind, decision, reason, detectors, extra));

    /// <summary>Persists the block entry (durable) and returns its seq: persist, then act.</summary>
    public async Task<long?> PersistBlockAsync(string detector, IEnumerable<string> detectors)
    {
        // Not tied to RequestAborted: a block is recorded even when the client has gone.
        return await Audit.AppendDurableAsync(Event(InspectionAuditKinds.Block, "block", detector, detectors), CancellationToken.None);
    }
}
