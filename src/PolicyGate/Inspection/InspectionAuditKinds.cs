namespace PolicyGate.Inspection;

/// <summary>Audit entry kinds written by response inspection.</summary>
internal static class InspectionAuditKinds
{
    public const string Block = "inspection.block";
    public const string Redact = "inspection.redact";
    public const string Monitor = "inspection.monitor";
    public const string Disagreement = "inspection.disagreement";
    public const string Limit = "inspection.limit";
    public const string Upgrade = "inspection.upgrade";
}
