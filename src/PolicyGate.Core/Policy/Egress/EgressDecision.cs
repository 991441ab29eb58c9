namespace PolicyGate.Core.Policy.Egress;

/// <summary>The outcome of one egress decision: action, deciding layer, and the winning rule (or the reason when no rule decided).</summary>
/// <remarks><paramref name="NamingRule"/>: for rule-less allows (learn, allow_all), a builtin allow rule naming the destination exempts it from the private-address guard.</remarks>
public sealed record EgressDecision(EgressAction Action, string Layer, string Reason, CompiledEgressRule? Rule = null, CompiledEgressRule? NamingRule = null)
{
    public bool IsAllowed => Action == EgressAction.Allow;

    public string? RuleId => Rule?.Rule.Id;

    /// <summary>The X-PolicyGate-Reason value: `&lt;layer&gt;:&lt;rule id or reason&gt;`.</summary>
    public string ReasonHeader => Layer + ":" + (RuleId ?? Reason);

    /// <summary>True when the deciding rule names the destination (exact host, IP or CIDR): private addresses are then allowed.</summary>
    public bool NamesDestination => (Rule ?? NamingRule) is { } r && r.Rule.Action == EgressAction.Allow && !r.Destination.HasWildcard;

    /// <summary>Same decision, denied for <paramref name="reason"/> (private-address guard, self).</summary>
    public EgressDecision DenyFor(string reason) => new(EgressAction.Deny, Layer, reason);
}
