namespace PolicyGate.Core.Routing;

/// <summary>What an SNI host name routes to (DESIGN §4.3): instance or app id, backend port and mode.</summary>
/// <param name="Id">Instance or app id, lower-cased.</param>
/// <param name="Port">Backend port, 1..65535.</param>
/// <param name="Passthrough">`s` suffix: splice TLS through instead of terminating it.</param>
/// <param name="Http2">`g` suffix: HTTP/2 (ALPN h2 only).</param>
public sealed record SniRoute(string Id, int Port, bool Passthrough, bool Http2)
{
    /// <summary>The special `health` id (answered by PolicyGate itself).</summary>
    public bool IsHealth => Id == "health";
}
