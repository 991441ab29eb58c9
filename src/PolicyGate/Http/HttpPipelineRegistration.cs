using PolicyGate.Configuration;

namespace PolicyGate.Http;

/// <summary>Wires the HTTP pipeline for terminated `http` ports (DESIGN §6): forwarding, transforms, inspection.</summary>
public static class HttpPipelineRegistration
{
    public static IServiceCollection AddHttpPipeline(this IServiceCollection services, PolicyGateOptions options)
    {
        return services;
    }

    /// <summary>Builds the request pipeline for edge connections (runs only for connections of the edge listener).</summary>
    public static void BuildEdgePipeline(IApplicationBuilder edge)
    {
        edge.Run(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return context.Response.WriteAsJsonAsync(new { error = "http pipeline not available" });
        });
    }
}
