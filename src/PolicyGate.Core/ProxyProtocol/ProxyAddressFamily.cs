namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Address family carried by a PROXY header (v1 UNKNOWN and v2 AF_UNSPEC are Unspec).</summary>
public enum ProxyAddressFamily
{
    Unspec,
    Inet,
    Inet6,
    Unix,
}
