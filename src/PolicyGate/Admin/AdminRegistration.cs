using PolicyGate.Acme;
using PolicyGate.Admin.Ui;
using PolicyGate.Audit;
using PolicyGate.Configuration;
using PolicyGate.Egress;
using PolicyGate.Inspection;
using PolicyGate.Operations;

namespace PolicyGate.Admin;

/// <summary>Wires the admin REST API (DESIGN §10): bearer auth, instances, port policies, and each feature's endpoints.</summary>
public static class AdminRegistration
{
    /// <summary>Resolves the admin token now: production without one throws <see cref="ConfigException"/> (serve exits 2).</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, PolicyGateOptions options)
    {
        services.AddSingleton(AdminToken.Resolve(options));
        services.AddHostedService<AdminTokenAnnouncer>();
        return services;
    }

    public static void MapAdmin(WebApplication app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1")
            .AddEndpointFilter(static async (context, next) =>
                ListenerFeature.Of(context.HttpContext) == ListenerKind.Admin ? await next(context) : Results.NotFound())
            .AddEndpointFilter(AdminAuthentication.FilterAsync)
            .AddEndpointFilter(Store.StoreUnavailableFilter.InvokeAsync);
        InstanceEndpoints.Map(api);
        AuditRegistration.MapAuditAdmin(api);
        EgressRegistration.MapEgressAdmin(api);
        OperationsRegistration.MapReloadAdmin(api);
        InspectionEndpoints.Map(api);
        AcmeRegistration.MapAcmeAdmin(api);
        AdminUiEndpoints.Map(app);
    }
}
