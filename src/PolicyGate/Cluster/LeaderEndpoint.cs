using PolicyGate.Operations;
namespace PolicyGate.Cluster;

/// <summary>
/// The leader's bundle endpoint on cluster.listen (mTLS already enforced by the handshake): GET /api/v1/policy/latest →
/// 200 envelope with a strong ETag, 304 when If-None-Match matches, 204 when nothing is published; anything else 404.
/// </summary>
public static partial class LeaderEndpoint
{
    public const string Path = "/api/v1/policy/latest";

    public static async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        BundleApplier applier = context.RequestServices.GetRequiredService<BundleApplier>();
        ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LeaderEndpoint).FullName!);
        string? ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (!string.Equals(context.Request.Path, Path, StringComparison.Ordinal) || !HttpMethods.IsGet(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (applier.Published is not { } published)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            string etag = "\"" + published.Bundle.Hash + "\"";
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "no-cache";
            if (Matches(ifNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
            }
            else
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                response.ContentLength = published.Bundle.EnvelopeBytes.Length;
                await response.Body.WriteAsync(published.Bundle.EnvelopeBytes, context.RequestAborted);
            }
        }

        BundleMetrics.Served(response.StatusCode);
        Log.Served(logger, context.Connection.ClientCertificate?.Subject ?? "-", ifNoneMatch ?? "-", response.StatusCode);
    }

    private static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        foreach (string candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || string.Equals(candidate, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.BundleServed, Level = LogLevel.Information, Message = "bundle request from {Client} If-None-Match {IfNoneMatch} answered {Status}")]
        public static partial void Served(ILogger logger, string client, string ifNoneMatch, int status);
    }
}
