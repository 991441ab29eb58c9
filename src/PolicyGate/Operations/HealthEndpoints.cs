using Prometheus;

namespace PolicyGate.Operations;

/// <summary>Handlers of /readyz, /metrics and POST /api/v1/reload.</summary>
internal static class HealthEndpoints
{
    public static IResult Ready(ReadinessEvaluator readiness)
    {
        IReadOnlyDictionary<string, string> failures = readiness.Failures();
        if (failures.Count > 0)
        {
            return Results.Json(new { status = "not ready", reasons = failures }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        IReadOnlyDictionary<string, string> degraded = readiness.Degradations();
        return degraded.Count == 0 ? Results.Json(new { status = "ready" }) : Results.Json(new { status = "degraded", reasons = degraded });
    }

    public static async Task Metrics(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    public static async Task<IResult> Reload(ConfigReloader reloader, CancellationToken cancellationToken)
    {
        ReloadResult result = await reloader.ReloadAsync("POST /api/v1/reload", cancellationToken);
        return result.Applied
            ? Results.Json(new { status = "reloaded", message = result.Message, restart_required = result.KeptRestartOnly })
            : Results.Json(new { error = result.Message }, statusCode: StatusCodes.Status400BadRequest);
    }
}
