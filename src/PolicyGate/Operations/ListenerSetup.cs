using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PolicyGate.Cluster;
using PolicyGate.Configuration;
using PolicyGate.Edge;
using PolicyGate.Egress;

namespace PolicyGate.Operations;

/// <summary>Binds every configured listener on Kestrel and tags its connections with their <see cref="ListenerKind"/>.</summary>
public static class ListenerSetup
{
    public static void Configure(KestrelServerOptions kestrel, PolicyGateOptions options)
    {
        kestrel.AddServerHeader = false;
        foreach (string edge in options.Edge.Listen)
        {
            kestrel.Listen(ListenAddress.Parse(edge), lo =>
            {
                Tag(lo, ListenerKind.Edge);
                EdgeRegistration.ConfigureEdgeListener(lo);
            });
        }

        kestrel.Listen(ListenAddress.Parse(options.Admin.Listen), lo =>
        {
            Tag(lo, ListenerKind.Admin);
            lo.Protocols = HttpProtocols.Http1;
        });

        kestrel.Listen(ListenAddress.Parse(options.Metrics.Listen), lo =>
        {
            Tag(lo, ListenerKind.Metrics);
            lo.Protocols = HttpProtocols.Http1;
        });

        if (!string.IsNullOrEmpty(options.Egress.Listen))
        {
            kestrel.Listen(ListenAddress.Parse(options.Egress.Listen), lo =>
            {
                Tag(lo, ListenerKind.Egress);
                EgressRegistration.ConfigureEgressListener(lo);
            });
        }

        if (options.Cluster.Role == ClusterRoles.Leader && !string.IsNullOrEmpty(options.Cluster.Listen))
        {
            kestrel.Listen(ListenAddress.Parse(options.Cluster.Listen), lo =>
            {
                Tag(lo, ListenerKind.Cluster);
                ClusterRegistration.ConfigureClusterListener(lo, options);
            });
        }
    }

    private static void Tag(ListenOptions listenOptions, ListenerKind kind)
    {
        ListenerFeature feature = new(kind);
        listenOptions.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
    }

    /// <summary>Every address this node listens on (egress never proxies to them).</summary>
    public static IReadOnlyList<IPEndPoint> OwnEndpoints(PolicyGateOptions options)
    {
        List<IPEndPoint> all = options.Edge.Listen.Select(ListenAddress.Parse).ToList();
        all.Add(ListenAddress.Parse(options.Admin.Listen));
        all.Add(ListenAddress.Parse(options.Metrics.Listen));
        if (!string.IsNullOrEmpty(options.Egress.Listen))
        {
            all.Add(ListenAddress.Parse(options.Egress.Listen));
        }

        if (!string.IsNullOrEmpty(options.Cluster.Listen))
        {
            all.Add(ListenAddress.Parse(options.Cluster.Listen));
        }

        return all;
    }
}
