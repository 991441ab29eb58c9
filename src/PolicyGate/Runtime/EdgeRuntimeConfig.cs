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
    /// <summary>
    /// Compiles the [edge] table; the trusted proxies are edge.trusted_proxies plus the ranges in edge.trusted_proxies_file
    /// (read now, so each reload refreshes it). Throws <see cref="FormatException"/> naming a bad trusted proxy,
    /// <see cref="ConfigException"/> (file:line) for a bad line in the file.
    /// </summary>
    public static EdgeRuntimeConfig From(PolicyGateOptions options) => From(options.Edge, options.Edge.TrustedProxiesFile.Length == 0
        ? []
        : CidrListFile.Read("edge.trusted_proxies_file", options.ResolvePath(options.Edge.TrustedProxiesFile)));

    private static EdgeRuntimeConfig From(EdgeOptions edge, List<string> fileRanges) => new(
        edge.BaseDomain,
        edge.DefaultProtocol,
        edge.InboundProxyProtocol,
        TrustedProxySet.Parse([.. edge.TrustedProxies, .. fileRanges]),
        Math.Max(1, edge.ConnectTopN),
        edge.MaxConnectionsPerApp,
        edge.InstanceStaleAfter,
        EdgeTimeouts.From(edge.Timeouts));
}
