using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PolicyGate.Operations;

namespace PolicyGate.Edge;

/// <summary>Wires the edge data plane (DESIGN §4) into the host.</summary>
public static class EdgeRegistration
{
    public static IServiceCollection AddEdge(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EdgeRouter>();
        services.AddSingleton<PolicyGate.Acme.TlsAlpnChallengeResponder>();
        services.AddSingleton<EdgeConnectionTracker>();
        services.AddSingleton<IReadinessCheck, CertificatesReadinessCheck>();
        return services;
    }

    /// <summary>Installs the edge connection middleware (PROXY header → SNI → route → policy → passthrough/terminate) on one edge listener.</summary>
    public static void ConfigureEdgeListener(ListenOptions listenOptions)
    {
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        listenOptions.Use(next => ActivatorUtilities.CreateInstance<EdgeConnectionMiddleware>(listenOptions.ApplicationServices, next).OnConnectionAsync);
    }
}
