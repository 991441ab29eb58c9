namespace PolicyGate.Core.Policy.Egress;

/// <summary>Per-container behaviour when no rule matches: strict denies (pending), learn allows (learned).</summary>
public enum EgressMode
{
    Strict,
    Learn,
}
