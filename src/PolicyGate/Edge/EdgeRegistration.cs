using PolicyGate.AccessLog;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Operations;
using PolicyGate.Store;

namespace PolicyGate.Edge;

/// <summary>Wires the edge data plane (DESIGN §4) into the host.</summary>
public static class EdgeRegistration
{
    public static IServiceCollection AddEdge(this IServiceCollection services, PolicyGateOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EdgeCertificateProvider>();
        services.AddSingleton<EdgeTlsOptions>();
        services.AddSingleton<EdgeConnectionTracker>();
        services.AddSingleton<IReadinessCheck, CertificatesReadinessCheck>();
        return services;
    }

    /// <summary>Installs the edge connection middleware (PROXY header → SNI → route → policy → passthrough/terminate) on one edge listener.</summary>
    public static void ConfigureEdgeListener(ListenOptions listenOptions, PolicyGateOptions options)
    {
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        TrustedProxySet trusted = TrustedProxySet.Parse(options.Edge.TrustedProxies);
        listenOptions.Use(next =>
        {
            IServiceProvider services = listenOptions.ApplicationServices;
            EdgeCertificateProvider certificates = services.GetRequiredService<EdgeCertificateProvider>();
            if (certificates.Context is null)
            {
                // Loaded here, at listener start, so no connection pays for it; /readyz reports the reason.
                services.GetRequiredService<ILogger<EdgeCertificateProvider>>().LogError("edge certificate not loaded: {Reason}", certificates.Error);
            }

            EdgeConnectionMiddleware middleware = new(
                next,
                options,
                trusted,
                new EdgeRouter(options, services.GetRequiredService<IInstanceDirectory>(), services.GetRequiredService<TimeProvider>()),
                services.GetRequiredService<EdgeConnectionTracker>(),
                services.GetRequiredService<EdgeTlsOptions>(),
                services.GetRequiredService<IAuditLog>(),
                services.GetRequiredService<AccessLogWriter>(),
                services.GetRequiredService<ILogger<EdgeConnectionMiddleware>>());
            return middleware.OnConnectionAsync;
        });
    }
}
