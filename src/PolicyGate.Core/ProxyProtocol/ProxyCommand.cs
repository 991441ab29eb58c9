namespace PolicyGate.Core.ProxyProtocol;

/// <summary>PROXY header command: LOCAL (use the socket peer) or PROXY (addresses are the client's).</summary>
public enum ProxyCommand
{
    Local,
    Proxy,
}
