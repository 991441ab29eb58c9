using PolicyGate.AccessLog;
using PolicyGate.Configuration;
using PolicyGate.Inspection;

namespace PolicyGate.Http;

/// <summary>Wires the HTTP pipeline for terminated `http` ports (DESIGN §6): forwarding, transforms, inspection.</summary>
public static class HttpPipelineRegistration
{
    public static IServiceCollection AddHttpPipeline(this IServiceCollection services, PolicyGateOptions options)
    {
        services.AddHttpForwarder();
        services.AddSingleton(_ => new BackendInvokerFactory(options));
        services.AddSingleton(sp => new EdgeRequestForwarder(
            sp.GetRequiredService<Yarp.ReverseProxy.Forwarder.IHttpForwarder>(),
            sp.GetRequiredService<BackendInvokerFactory>(),
            options,
            sp,
            sp.GetRequiredService<ILogger<EdgeRequestForwarder>>()));
        return services;
    }

    /// <summary>Builds the request pipeline for edge connections (runs only for connections of the edge listener).</summary>
    public static void BuildEdgePipeline(IApplicationBuilder edge)
    {
        edge.Use(HttpAccessLogMiddleware.Create(edge.ApplicationServices.GetRequiredService<AccessLogWriter>()));
        edge.Use(HttpRequestMetrics.Count);
        edge.UseResponseInspection();
        EdgeRequestForwarder forwarder = edge.ApplicationServices.GetRequiredService<EdgeRequestForwarder>();
        edge.Run(forwarder.InvokeAsync);
    }
}
