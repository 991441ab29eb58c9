namespace PolicyGate.Core.Policy.Egress;

/// <summary>The shape of a destination pattern.</summary>
public enum DestinationKind
{
    /// <summary>`*`: every destination.</summary>
    Any,
    /// <summary>`10.0.0.0/8`: IP destinations inside the block.</summary>
    Cidr,
    /// <summary>`**.example.com`: the domain and its subdomains.</summary>
    DomainAndSubdomains,
    /// <summary>`*.example.com`: subdomains only.</summary>
    Subdomains,
    /// <summary>A host name or IP literal.</summary>
    Exact,
}
