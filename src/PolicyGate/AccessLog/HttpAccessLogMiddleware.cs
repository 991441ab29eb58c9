using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using PolicyGate.Edge;
using PolicyGate.Http;
using PolicyGate.Inspection;

namespace PolicyGate.AccessLog;

/// <summary>The edge HTTP pipeline's outermost step: one access-log entry per request once it is answered (or failed).</summary>
public static class HttpAccessLogMiddleware
{
    public static Func<RequestDelegate, RequestDelegate> Create(AccessLogWriter writer) => next => writer.Enabled
        ? context => InvokeAsync(context, next, writer)
        : next;

    private static async Task InvokeAsync(HttpContext context, RequestDelegate next, AccessLogWriter writer)
    {
        DateTime at = DateTime.UtcNow;
        long started = Stopwatch.GetTimestamp();
        IHttpResponseBodyFeature original = context.Features.Get<IHttpResponseBodyFeature>()!;
        CountingResponseBody counting = new(original);
        context.Features.Set<IHttpResponseBodyFeature>(counting);
        string outcome = EdgeConstants.OutcomeOk;
        try
        {
            await next(context);
        }
        catch
        {
            outcome = EdgeConstants.OutcomeError;
            throw;
        }
        finally
        {
            context.Features.Set(original);
            if (context.RequestAborted.IsCancellationRequested && outcome == EdgeConstants.OutcomeOk)
            {
                outcome = EdgeConstants.OutcomeAborted;
            }

            writer.Write(Entry(context, at, started, counting.Bytes, outcome));
        }
    }

    private static AccessLogEntry Entry(HttpContext context, DateTime at, long started, long bytesOut, string outcome)
    {
        EdgeConnectionFeature? edge = context.Features.Get<EdgeConnectionFeature>();
        HttpRequest request = context.Request;
        // From the inspection verdict itself, not the response header: a block after bytes went out sets no header, and a backend could send one.
        string? blocked = context.Features.Get<InspectionBlockFeature>()?.Detector;
        return new AccessLogEntry
        {
            Time = at,
            Kind = AccessLogEntry.KindHttp,
            ConnectionId = edge?.ConnectionId ?? context.Connection.Id,
            RequestId = request.Headers[HttpHeaderNames.XRequestId],
            Client = edge?.Client.ToString() ?? context.Connection.RemoteIpAddress?.ToString(),
            Sni = edge?.Sni,
            Mode = EdgeConstants.ModeHttp,
            App = edge?.Instance.AppId,
            Instance = edge?.Instance.InstanceId,
            Port = edge?.Port,
            Method = request.Method,
            Path = request.Path.Value,
            Protocol = request.Protocol,
            Status = outcome == EdgeConstants.OutcomeError && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
            Outcome = outcome,
            Verdict = string.IsNullOrEmpty(blocked) ? "pass" : "blocked:" + blocked,
            BytesIn = request.ContentLength,
            BytesOut = bytesOut,
            DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }
}
