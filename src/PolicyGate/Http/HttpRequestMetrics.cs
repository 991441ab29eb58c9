using Prometheus;

namespace PolicyGate.Http;

/// <summary>policygate_http_requests_total{code_class}: every request of the edge HTTP pipeline by status class (1xx..5xx).</summary>
public static class HttpRequestMetrics
{
    private static readonly Counter s_requests = Metrics.CreateCounter(
        "policygate_http_requests_total",
        "Requests answered by the edge HTTP pipeline, by status class.",
        new CounterConfiguration { LabelNames = ["code_class"] });

    private static readonly Counter.Child[] s_byClass =
    [
        s_requests.WithLabels("1xx"),
        s_requests.WithLabels("2xx"),
        s_requests.WithLabels("3xx"),
        s_requests.WithLabels("4xx"),
        s_requests.WithLabels("5xx"),
    ];

    /// <summary>Counts one answered request.</summary>
    public static void Observe(int statusCode)
    {
        int index = Math.Clamp(statusCode / 100, 1, 5) - 1;
        s_byClass[index].Inc();
    }

    /// <summary>Middleware that counts every request once the rest of the pipeline has answered it.</summary>
    public static RequestDelegate Count(RequestDelegate next)
    {
        return context =>
        {
            Task pending;
            try
            {
                pending = next(context);
            }
            catch
            {
                Observe(StatusCodes.Status500InternalServerError);
                throw;
            }

            if (pending.IsCompletedSuccessfully)
            {
                Observe(context.Response.StatusCode);
                return Task.CompletedTask;
            }

            return Awaited(pending, context);
        };
    }

    private static async Task Awaited(Task pending, HttpContext context)
    {
        try
        {
            await pending;
        }
        catch
        {
            Observe(context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError);
            throw;
        }

        Observe(context.Response.StatusCode);
    }
}
