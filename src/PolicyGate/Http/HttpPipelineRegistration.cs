using PolicyGate.Inspection;

namespace PolicyGate.Http;

/// <summary>Wires the HTTP pipeline for terminated `http` ports (DESIGN §6): forwarding, transforms, inspection.</summary>
public static class HttpPipelineRegistration
{
    public static IServiceCollection AddHttpPipeline(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<BackendInvokerFactory>();
        services.AddSingleton<EdgeRequestForwarder>();
        return services;
    }

    /// <summary>Builds the request pipeline for edge connections (runs only for connections of the edge listener).</summary>
    public static void BuildEdgePipeline(IApplicationBuilder edge)
    {
        edge.Use(HttpRequestMetrics.Count);
        edge.UseResponseInspection();
        EdgeRequestForwarder forwarder = edge.ApplicationServices.GetRequiredService<EdgeRequestForwarder>();
        edge.Run(forwarder.InvokeAsync);
    }
}
