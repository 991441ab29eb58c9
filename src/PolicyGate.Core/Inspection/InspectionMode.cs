namespace PolicyGate.Core.Inspection;

/// <summary>What a tenant does with a detection hit (DESIGN §7).</summary>
public enum InspectionMode
{
    Off,
    Monitor,
    Redact,
    Block,
}
