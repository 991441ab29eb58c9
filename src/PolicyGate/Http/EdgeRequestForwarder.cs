using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy;
using PolicyGate.Edge;
using PolicyGate.Store;
using Yarp.ReverseProxy.Forwarder;

namespace PolicyGate.Http;

/// <summary>
/// The terminal step of the edge HTTP pipeline: re-checks the port policy against the live directory, assigns the request id,
/// forwards with YARP to the instance:port the edge routed the connection to, and answers forwarding failures with JSON.
/// </summary>
public sealed class EdgeRequestForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly BackendInvokerFactory _invokers;
    private readonly IInstanceDirectory _directory;
    private readonly IAuditLog _audit;
    private readonly ILogger<EdgeRequestForwarder> _logger;

    public EdgeRequestForwarder(IHttpForwarder forwarder, BackendInvokerFactory invokers, IInstanceDirectory directory, IAuditLog audit, ILogger<EdgeRequestForwarder> logger)
    {
        _forwarder = forwarder;
        _invokers = invokers;
        _directory = directory;
        _audit = audit;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        EdgeConnectionFeature? edge = context.Features.Get<EdgeConnectionFeature>();
        if (edge is null)
        {
            HttpPipelineLog.MissingEdgeFeature(_logger);
            await ForwarderErrorResponder.WriteJsonAsync(context, StatusCodes.Status502BadGateway, "no route", "connection has no routing decision");
            return;
        }

        string requestId = RequestIdPolicy.Resolve(context.Request.Headers[HttpHeaderNames.XRequestId]);
        context.Request.Headers[HttpHeaderNames.XRequestId] = requestId;
        context.Response.Headers[HttpHeaderNames.XRequestId] = requestId;

        PortDecision decision = Recheck(edge);
        if (!decision.IsAllowed)
        {
            await DenyAsync(context, edge, decision.Reason, requestId);
            return;
        }

        ForwardingConnectionState connection = ForwardingConnectionState.Of(context, edge, _invokers);
        if (IsUpgrade(context))
        {
            AuditUpgrade(context, edge, requestId);
        }

        ForwarderError error = await _forwarder.SendAsync(
            context,
            connection.DestinationPrefix,
            connection.InvokerFor(decision.SendProxyHeader),
            connection.RequestConfig,
            connection.Transformer);
        if (error != ForwarderError.None)
        {
            await FailAsync(context, edge, error, connection.RequestConfig.ActivityTimeout!.Value);
        }
    }

    /// <summary>Defence in depth: the instance must still exist and its live effective policy must still allow the port.</summary>
    private PortDecision Recheck(EdgeConnectionFeature edge)
    {
        if (!_directory.Current.TryGetInstance(edge.Instance.InstanceId, out InstanceRecord live))
        {
            return PortDecision.Deny("instance_gone");
        }

        return live.Decide(edge.Port);
    }

    private Task DenyAsync(HttpContext context, EdgeConnectionFeature edge, string reason, string requestId)
    {
        HttpPipelineLog.PolicyRecheckDenied(_logger, edge.ConnectionId, edge.Instance.InstanceId, edge.Port, reason);
        _audit.Enqueue(new AuditEvent("http.deny", "deny", reason, Subject(edge), edge.TenantId, Details(context, edge, requestId)));
        return ForwarderErrorResponder.WriteJsonAsync(context, StatusCodes.Status403Forbidden, "port not allowed by policy", reason);
    }

    private Task FailAsync(HttpContext context, EdgeConnectionFeature edge, ForwarderError error, TimeSpan activityTimeout)
    {
        Exception? exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        (int status, string message, string detail) = ForwarderErrorResponder.Classify(error, exception, activityTimeout);
        HttpPipelineLog.ForwardFailed(_logger, edge.ConnectionId, edge.Instance.InstanceId, edge.Port, error, status, exception);
        return ForwarderErrorResponder.RespondAsync(context, status, message, detail);
    }

    private void AuditUpgrade(HttpContext context, EdgeConnectionFeature edge, string requestId)
    {
        JsonObject details = Details(context, edge, requestId);
        string upgrade = HttpMethods.IsConnect(context.Request.Method)
            ? context.Features.Get<IHttpExtendedConnectFeature>()?.Protocol ?? "connect"
            : context.Request.Headers.Upgrade.ToString();
        details["upgrade"] = upgrade;
        _audit.Enqueue(new AuditEvent("http.upgrade", "allow", "upgrade_not_inspected", Subject(edge), edge.TenantId, details));
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    private static string Subject(EdgeConnectionFeature edge) => edge.Instance.InstanceId + ":" + edge.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Details(HttpContext context, EdgeConnectionFeature edge, string requestId) => new()
    {
        ["connection_id"] = edge.ConnectionId,
        ["client"] = edge.Client.ToString(),
        ["request_id"] = requestId,
        ["method"] = context.Request.Method,
        ["path"] = context.Request.Path.Value,
        ["sni"] = edge.Sni,
    };
}
