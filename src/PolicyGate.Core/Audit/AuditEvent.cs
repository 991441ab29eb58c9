using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>
/// What a component asks the audit chain to record (DESIGN §11). The chain adds v, seq, ts, node, key_id, prev and mac.
/// kind: e.g. "admin.instance.register", "edge.deny", "inspection.block", "egress.deny"; decision: "allow" | "deny" | "block" | "change" | ...
/// </summary>
public sealed record AuditEvent(
    string Kind,
    string Decision,
    string Reason,
    string Subject,
    string? Tenant = null,
    JsonObject? Details = null);
