namespace PolicyGate.Core.Policy.Egress;

/// <summary>The two request shapes the forward proxy accepts.</summary>
public enum ProxyRequestKind
{
    /// <summary>`CONNECT host:port` → tunnel.</summary>
    Connect,
    /// <summary>`GET http://host[:port]/path` → forwarded in origin form.</summary>
    AbsoluteHttp,
}
