using Microsoft.AspNetCore.Server.Kestrel.Core;
using PolicyGate.Configuration;

namespace PolicyGate.Egress;

/// <summary>Wires the egress forward proxy and its admin endpoints (DESIGN §8) into the host.</summary>
public static class EgressRegistration
{
    public static IServiceCollection AddEgress(this IServiceCollection services, PolicyGateOptions options)
    {
        return services;
    }

    /// <summary>Installs the forward-proxy connection handler on the egress listener.</summary>
    public static void ConfigureEgressListener(ListenOptions listenOptions, PolicyGateOptions options)
    {
    }

    /// <summary>Maps /api/v1/egress/*, /api/v1/sessions* into the authenticated admin group.</summary>
    public static void MapEgressAdmin(RouteGroupBuilder api)
    {
    }
}
