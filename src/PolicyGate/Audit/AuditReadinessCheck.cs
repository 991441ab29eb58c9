using PolicyGate.Core.Audit;
using PolicyGate.Operations;

namespace PolicyGate.Audit;

/// <summary>/readyz condition: the audit chain writer is still writing (it stops on an I/O error rather than lose order).</summary>
public sealed class AuditReadinessCheck(AuditChainWriter writer) : IReadinessCheck
{
    public string Name => "audit";

    public string? Check() => writer.Failure is { } failure ? "audit chain writer stopped: " + failure.Message : null;
}
