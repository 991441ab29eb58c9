using System.Net;

namespace PolicyGate.Load.Clients;

/// <summary>Where and what a client asks: the TCP endpoint, TLS server name, request path and (for tunnels) the CONNECT authority.</summary>
public sealed record ClientTarget
{
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>TLS SNI and Host header; null → no TLS (plain HTTP, e.g. inside a CONNECT tunnel).</summary>
    public string? ServerName { get; init; }

    public string Path { get; init; } = "/";

    /// <summary>Host header value; defaults to <see cref="ServerName"/> or the endpoint.</summary>
    public string? HostHeader { get; init; }

    /// <summary>For <see cref="ClientKind.ConnectTunnel"/>: the authority named in CONNECT (host:port).</summary>
    public string? ConnectAuthority { get; init; }

    /// <summary>Upper bound on one step (connect + exchange).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string EffectiveHost => HostHeader ?? ServerName ?? EndPoint.ToString();
}
