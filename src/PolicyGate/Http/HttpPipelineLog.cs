using PolicyGate.Operations;
using Yarp.ReverseProxy.Forwarder;

namespace PolicyGate.Http;

/// <summary>Source-generated log messages of the edge HTTP pipeline (stable event ids).</summary>
internal static partial class HttpPipelineLog
{
    [LoggerMessage(EventId = LogEvents.HttpForwardFailed, Level = LogLevel.Warning, Message = "[{ConnectionId}] forwarding to {Instance}:{Port} failed: {Error} → {Status}")]
    public static partial void ForwardFailed(ILogger logger, string connectionId, string instance, int port, ForwarderError error, int status, Exception? exception);

    [LoggerMessage(EventId = LogEvents.HttpPolicyRecheckDenied, Level = LogLevel.Warning, Message = "[{ConnectionId}] request to {Instance}:{Port} refused on re-check: {Reason}")]
    public static partial void PolicyRecheckDenied(ILogger logger, string connectionId, string instance, int port, string reason);

    [LoggerMessage(EventId = LogEvents.HttpMissingEdgeFeature, Level = LogLevel.Error, Message = "edge HTTP request without an edge routing decision (EdgeConnectionFeature missing)")]
    public static partial void MissingEdgeFeature(ILogger logger);
}
