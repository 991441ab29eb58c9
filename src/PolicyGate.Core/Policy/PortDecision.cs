namespace PolicyGate.Core.Policy;

/// <summary>Outcome of checking (instance, port) against the effective port policy.</summary>
public enum PortDecisionKind
{
    Allow,
    Deny,
    Unknown,
}

/// <summary>The edge's answer for one candidate: Allow (with the port's pp/protocol), Deny(reason) or Unknown (no effective policy → fail closed).</summary>
public readonly record struct PortDecision(PortDecisionKind Kind, string Reason, bool SendProxyHeader, string? Protocol)
{
    public static PortDecision Allow(bool pp, string? protocol) => new(PortDecisionKind.Allow, "", pp, protocol);

    public static PortDecision Deny(string reason) => new(PortDecisionKind.Deny, reason, false, null);

    public static PortDecision Unknown { get; } = new(PortDecisionKind.Unknown, "policy_unknown", false, null);

    public bool IsAllowed => Kind == PortDecisionKind.Allow;
}
