using PolicyGate.Configuration;
using PolicyGate.Core.Inspection;
using PolicyGate.Operations;

namespace PolicyGate.Inspection;

/// <summary>Wires tenants and response inspection (DESIGN §7) into the host.</summary>
public static class InspectionRegistration
{
    /// <summary>Loads the tenants now (a bad tenant file is a <see cref="ConfigException"/> at startup) and registers the catalog.</summary>
    public static IServiceCollection AddInspection(this IServiceCollection services, PolicyGateOptions options)
    {
        TenantCatalog catalog = TenantCatalog.Load(options);
        services.AddSingleton(catalog);
        services.AddSingleton<ITenantCatalog>(catalog);
        services.AddSingleton<IReloadable>(catalog);
        services.AddSingleton<IReadinessCheck>(catalog);
        return services;
    }

    /// <summary>Adds response inspection to the edge HTTP pipeline (before forwarding).</summary>
    public static IApplicationBuilder UseResponseInspection(this IApplicationBuilder edge)
    {
        return edge.UseMiddleware<ResponseInspectionMiddleware>();
    }
}
