using System.Net;
using PolicyGate.Core.Policy;
using PolicyGate.Runtime;

namespace PolicyGate.Edge;

/// <summary>
/// What the edge decided for a terminated connection; set on the connection's features before the HTTP pipeline runs,
/// read by the HTTP pipeline (forwarding target, PROXY header, tenant for inspection).
/// </summary>
public sealed class EdgeConnectionFeature
{
    /// <summary>Connection id used in every log line and audit entry of this connection.</summary>
    public required string ConnectionId { get; init; }
    /// <summary>Client address as PolicyGate sees it (inbound PROXY header, else socket peer).</summary>
    public required IPEndPoint Client { get; init; }
    /// <summary>Original destination (inbound PROXY header's destination, else the local socket address).</summary>
    public required IPEndPoint Destination { get; init; }
    /// <summary>1 or 2: version for an outbound PROXY header (v1 in → v1 out; v2, LOCAL or none → v2).</summary>
    public int ProxyHeaderVersion { get; init; } = 2;
    /// <summary>True when the socket peer is in edge.trusted_proxies (CF-Connecting-IP honoured then).</summary>
    public bool PeerIsTrustedProxy { get; init; }
    public required string Sni { get; init; }
    /// <summary>The routed instance: the newest candidate whose port policy allows the port.</summary>
    public required InstanceRecord Instance { get; init; }
    public required int Port { get; init; }
    /// <summary>`g` suffix: HTTP/2 (h2c prior knowledge to the backend).</summary>
    public bool Http2 { get; init; }
    /// <summary>The runtime config the connection was accepted under; its requests keep using it.</summary>
    public required RuntimeConfig Config { get; init; }
    public string TenantId => Instance.TenantId;
}
