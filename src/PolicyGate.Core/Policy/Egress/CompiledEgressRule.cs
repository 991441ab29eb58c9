namespace PolicyGate.Core.Policy.Egress;

/// <summary>A rule with its patterns parsed and its specificity computed once, when the snapshot is built.</summary>
public sealed class CompiledEgressRule
{
    private CompiledEgressRule(EgressRule rule, ContainerPattern container, DestinationPattern destination, PortPattern port)
    {
        Rule = rule;
        Container = container;
        Destination = destination;
        Port = port;
        Specificity = EgressSpecificity.Of(container, destination, port);
    }

    public EgressRule Rule { get; }
    public ContainerPattern Container { get; }
    public DestinationPattern Destination { get; }
    public PortPattern Port { get; }
    public int Specificity { get; }

    /// <summary>Compiles a rule; null when its container or destination cannot match anything. An invalid port matches nothing.</summary>
    public static CompiledEgressRule? TryCompile(EgressRule rule)
    {
        if (!ContainerPattern.TryParse(rule.Container, out ContainerPattern container, out _)
            || !DestinationPattern.TryParse(rule.Destination, out DestinationPattern destination, out _))
        {
            return null;
        }

        return new CompiledEgressRule(rule, container, destination, PortPattern.Parse(rule.Port, out _));
    }

    /// <summary>True when this rule should win over <paramref name="other"/>: higher specificity, then deny, then lower id.</summary>
    public bool Beats(CompiledEgressRule other)
    {
        if (Specificity != other.Specificity)
        {
            return Specificity > other.Specificity;
        }

        if (Rule.Action != other.Rule.Action)
        {
            return Rule.Action == EgressAction.Deny;
        }

        return string.CompareOrdinal(Rule.Id, other.Rule.Id) < 0;
    }
}
