namespace PolicyGate.Load.Clients;

/// <summary>How a <see cref="RawHttpConnection"/> uses its socket.</summary>
public enum RawConnectionMode
{
    /// <summary>One TLS connection reused for every request.</summary>
    KeepAlive,
    /// <summary>Connect, full TLS handshake, one request with <c>Connection: close</c>, close.</summary>
    NewConnectionPerRequest,
    /// <summary>Connect to a forward proxy, CONNECT, one plain request inside the tunnel, close.</summary>
    Tunnel,
}
