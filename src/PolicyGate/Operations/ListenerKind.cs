namespace PolicyGate.Operations;

/// <summary>Which of the node's listeners a connection arrived on.</summary>
public enum ListenerKind
{
    Edge,
    Admin,
    Metrics,
    Egress,
    Cluster,
}
