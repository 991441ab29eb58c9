using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Cluster;

/// <summary>Wires signed policy bundles (DESIGN §9): the active bundle, the leader's mTLS listener and endpoints, the follower's poller.</summary>
public static class ClusterRegistration
{
    public static IServiceCollection AddCluster(this IServiceCollection services, PolicyGateOptions options)
    {
        // Exported on every node (standalone: version 0, no polls) so dashboards and the BundleStale alert always find the series.
        BundleMetrics.Active(0);
        services.AddSingleton<ActiveBundle>();
        services.AddSingleton<BundleApplier>();
        services.AddSingleton(sp => new BundleStatus(options.Cluster.Role, options.Node.EffectiveId, sp.GetRequiredService<ActiveBundle>()));
        if (options.Cluster.Role is ClusterRoles.Leader or ClusterRoles.Follower)
        {
            services.AddSingleton(ClusterTls.Load(options.Cluster));
            services.AddHostedService<BundleStartupService>();
        }

        if (options.Cluster.Role == ClusterRoles.Follower)
        {
            services.AddSingleton<IReadinessCheck, BundleReadinessCheck>();
            services.AddHostedService<BundleFollower>();
        }

        return services;
    }

    /// <summary>cluster.listen: TLS with a required client certificate that must chain to cluster.ca_file, else the handshake fails.</summary>
    public static void ConfigureClusterListener(ListenOptions listenOptions, PolicyGateOptions options)
    {
        ClusterTls tls = (ClusterTls)listenOptions.ApplicationServices.GetService(typeof(ClusterTls))!;
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        listenOptions.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = tls.Certificate,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (certificate, _, _) => tls.ChainsToCa(certificate),
            SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
            HandshakeTimeout = options.Edge.Timeouts.Handshake,
        });
    }

    /// <summary>The cluster listener serves only the leader's bundle endpoint.</summary>
    public static void MapCluster(WebApplication app) =>
        app.MapWhen(static context => ListenerFeature.Of(context) == ListenerKind.Cluster, static branch => branch.Run(LeaderEndpoint.HandleAsync));
}
