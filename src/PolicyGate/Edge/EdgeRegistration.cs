using Microsoft.AspNetCore.Server.Kestrel.Core;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>Wires the edge data plane (DESIGN §4) into the host.</summary>
public static class EdgeRegistration
{
    public static IServiceCollection AddEdge(this IServiceCollection services, PolicyGateOptions options)
    {
        return services;
    }

    /// <summary>Installs the edge connection middleware (PROXY header → SNI → route → policy → passthrough/terminate) on one edge listener.</summary>
    public static void ConfigureEdgeListener(ListenOptions listenOptions, PolicyGateOptions options)
    {
    }
}
