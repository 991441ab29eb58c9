using System.Net.Sockets;
using System.Text.Json;
using Yarp.ReverseProxy.Forwarder;

namespace PolicyGate.Http;

/// <summary>
/// Turns a YARP <see cref="ForwarderError"/> into the client's answer: 502 JSON when the backend is unreachable or broke the
/// exchange, 504 JSON on timeouts (connect or activity), 400 when the client's own body failed; nothing once the response started
/// (YARP has aborted it) or the client is gone.
/// </summary>
public static class ForwarderErrorResponder
{
    public const string BackendUnavailable = "backend unavailable";
    public const string BackendTimeout = "backend timeout";

    /// <summary>Status, error and detail for an error, or status 0 when nothing can be sent.</summary>
    public static (int Status, string Error, string Detail) Classify(ForwarderError error, Exception? exception, TimeSpan activityTimeout)
    {
        switch (error)
        {
            case ForwarderError.Request or ForwarderError.RequestCanceled or ForwarderError.RequestTimedOut when HasInner<TimeoutException>(exception):
                // SocketsHttpHandler.ConnectTimeout surfaces as a cancellation carrying a TimeoutException.
                return (StatusCodes.Status504GatewayTimeout, BackendTimeout, "connect to the backend timed out");
            case ForwarderError.RequestTimedOut:
                return (StatusCodes.Status504GatewayTimeout, BackendTimeout, $"no response activity from the backend within {activityTimeout.TotalSeconds:0.###}s");
            case ForwarderError.Request:
            case ForwarderError.RequestCanceled:
                SocketException? socket = FindInner<SocketException>(exception);
                return socket is not null
                    ? (StatusCodes.Status502BadGateway, BackendUnavailable, "connect failed: " + Describe(socket.SocketErrorCode))
                    : (StatusCodes.Status502BadGateway, BackendUnavailable, "request to the backend failed");
            case ForwarderError.RequestBodyDestination:
                return (StatusCodes.Status502BadGateway, BackendUnavailable, "the backend failed while receiving the request body");
            case ForwarderError.ResponseHeaders:
                return (StatusCodes.Status502BadGateway, BackendUnavailable, "the backend sent no valid response");
            case ForwarderError.RequestBodyClient:
            case ForwarderError.RequestBodyCanceled:
                return (StatusCodes.Status400BadRequest, "bad request", "the request body could not be read from the client");
            case ForwarderError.NoAvailableDestinations:
                return (StatusCodes.Status503ServiceUnavailable, BackendUnavailable, "no destination available");
            case ForwarderError.RequestCreation:
                return (StatusCodes.Status500InternalServerError, "internal error", "the backend request could not be created");
            default:
                // Response* and Upgrade* errors happen after the response started; YARP has aborted the connection/stream.
                return (0, "", "");
        }
    }

    /// <summary>Writes the JSON error for a failed forward when the response has not started and the client is still there.</summary>
    public static Task RespondAsync(HttpContext context, int status, string error, string detail)
    {
        if (status == 0 || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        return WriteJsonAsync(context, status, error, detail);
    }

    /// <summary>Replaces the response with `{"error":..., "detail":...}` and the given status.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, string error, string? detail)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.Headers.ContentLength = null;
        response.ContentType = "application/json";
        using MemoryStream body = new(128);
        await using (Utf8JsonWriter json = new(body))
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            if (detail is not null)
            {
                json.WriteString("detail", detail);
            }

            json.WriteEndObject();
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), context.RequestAborted);
    }

    private static string Describe(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "cannot resolve backend address",
        SocketError.ConnectionReset => "connection reset by backend",
        SocketError.TimedOut => "connect timed out",
        _ => code.ToString(),
    };

    private static bool HasInner<T>(Exception? exception) where T : Exception => FindInner<T>(exception) is not null;

    private static T? FindInner<T>(Exception? exception) where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
