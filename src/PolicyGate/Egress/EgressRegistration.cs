using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PolicyGate.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>Wires the egress forward proxy and its admin endpoints (DESIGN §8) into the host.</summary>
public static class EgressRegistration
{
    public static IServiceCollection AddEgress(this IServiceCollection services)
    {
        services.AddSingleton<IStoreMigrationSource, EgressMigrations>();
        services.AddSingleton<EgressRepository>();
        services.AddSingleton<EgressStore>();
        services.AddSingleton<IReloadable>(sp => sp.GetRequiredService<EgressStore>());
        services.AddSingleton<IStoreChangeSubscriber>(sp => sp.GetRequiredService<EgressStore>());
        services.AddSingleton<EgressObservationQueue>();
        services.AddSingleton<EgressIdentity>();
        services.AddSingleton<EgressSelfGuard>();
        services.AddSingleton<EgressProxyHandler>();
        services.AddHostedService<EgressBackgroundService>();
        services.AddSingleton<IStoreMigrationSource, EgressCredentialMigrations>();
        services.AddSingleton<EgressCredentials>();
        services.AddHostedService(static sp => sp.GetRequiredService<EgressCredentials>());
        services.AddSingleton<IStoreChangeSubscriber>(static sp => sp.GetRequiredService<EgressCredentials>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Installs the forward-proxy connection handler on the egress listener.</summary>
    public static void ConfigureEgressListener(ListenOptions listenOptions)
    {
        listenOptions.Protocols = HttpProtocols.Http1;
        listenOptions.UseConnectionHandler<EgressProxyHandler>();
    }

    /// <summary>Maps /api/v1/egress/*, /api/v1/sessions* into the authenticated admin group.</summary>
    public static void MapEgressAdmin(RouteGroupBuilder api)
    {
        EgressRuleEndpoints.Map(api);
        EgressReviewEndpoints.Map(api);
        EgressSessionEndpoints.Map(api);
        EgressCredentialEndpoints.Map(api);
    }
}
