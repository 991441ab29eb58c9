using System.Net;
using PolicyGate.Core.Policy;
using PolicyGate.Core.Routing;
using PolicyGate.Runtime;

namespace PolicyGate.Edge;

/// <summary>What the edge has learned about one connection so far (filled step by step: PROXY → SNI → route → policy).</summary>
internal sealed class EdgeConnectionState
{
    /// <summary>The runtime config read once at accept; every step of this connection uses it.</summary>
    public required RuntimeConfig Config { get; init; }
    public required string ConnectionId { get; init; }
    public required IPEndPoint SocketPeer { get; init; }
    public required IPEndPoint LocalEndPoint { get; init; }
    public bool PeerIsTrustedProxy { get; init; }

    /// <summary>Client address as PolicyGate sees it (inbound PROXY source, else the socket peer).</summary>
    public IPEndPoint Client { get; set; } = null!;
    /// <summary>Original destination (inbound PROXY destination, else the local socket address).</summary>
    public IPEndPoint Destination { get; set; } = null!;
    /// <summary>Version for an outbound PROXY header: 1 after a v1 inbound header, else 2.</summary>
    public int ProxyHeaderVersion { get; set; } = 2;

    public string? Sni { get; set; }
    public SniRoute? Route { get; set; }
    /// <summary>Candidates that passed the port policy, newest first, with their decisions.</summary>
    public IReadOnlyList<RoutedCandidate> Allowed { get; set; } = [];

    /// <summary>Protocol of a terminated connection: the first allowed candidate's port protocol, else edge.default_protocol.</summary>
    public string Mode { get; set; } = "";

    public string? AppId => Allowed.Count > 0 ? Allowed[0].Instance.AppId : null;
    public string? TenantId => Allowed.Count > 0 ? Allowed[0].Instance.TenantId : null;
}

/// <summary>One candidate instance with the port decision it got.</summary>
internal readonly record struct RoutedCandidate(InstanceRecord Instance, PortDecision Decision);
