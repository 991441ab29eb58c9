namespace PolicyGate.Core.Policy.Egress;

/// <summary>The outcome of one egress decision: action, deciding layer, and the winning rule (or the reason when no rule decided).</summary>
public sealed record EgressDecision(EgressAction Action, string Layer, string Reason, CompiledEgressRule? Rule = null)
{
    public bool IsAllowed => Action == EgressAction.Allow;

    public string? RuleId => Rule?.Rule.Id;

    /// <summary>The X-PolicyGate-Reason value: `&lt;layer&gt;:&lt;rule id or reason&gt;`.</summary>
    public string ReasonHeader => Layer + ":" + (RuleId ?? Reason);

    /// <summary>True when the deciding rule names the destination (exact host, IP or CIDR): private addresses are then allowed.</summary>
    public bool NamesDestination => Rule is not null && Rule.Rule.Action == EgressAction.Allow && !Rule.Destination.HasWildcard;

    /// <summary>Same decision, denied for <paramref name="reason"/> (private-address guard, self).</summary>
    public EgressDecision DenyFor(string reason) => new(EgressAction.Deny, Layer, reason);
}
