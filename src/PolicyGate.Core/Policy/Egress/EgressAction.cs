namespace PolicyGate.Core.Policy.Egress;

/// <summary>What an egress rule or decision does with a connection.</summary>
public enum EgressAction
{
    Allow,
    Deny,
}
