namespace PolicyGate.Core.Audit;

/// <summary>The first broken seq of a chain and why (a reason from <see cref="AuditVerifyReasons"/>).</summary>
public sealed record AuditVerifyError(long Seq, string Reason, string? Detail = null);
