using PolicyGate.Configuration;
using PolicyGate.Edge;

namespace PolicyGate.Runtime;

/// <summary>The edge keys the data path reads per connection (DESIGN §3 [edge]), compiled.</summary>
public sealed record EdgeRuntimeConfig(
    string BaseDomain,
    string DefaultProtocol,
    bool InboundProxyProtocol,
    TrustedProxySet TrustedProxies,
    int ConnectTopN,
    int MaxConnectionsPerApp,
    TimeSpan InstanceStaleAfter,
    EdgeTimeouts Timeouts)
{
    /// <summary>Compiles the [edge] table; throws <see cref="FormatException"/> naming a bad trusted proxy.</summary>
    public static EdgeRuntimeConfig From(EdgeOptions edge) => new(
        edge.BaseDomain,
        edge.DefaultProtocol,
        edge.InboundProxyProtocol,
        TrustedProxySet.Parse(edge.TrustedProxies),
        Math.Max(1, edge.ConnectTopN),
        edge.MaxConnectionsPerApp,
        edge.InstanceStaleAfter,
        EdgeTimeouts.From(edge.Timeouts));
}
