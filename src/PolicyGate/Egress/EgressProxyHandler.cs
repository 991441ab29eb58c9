using System.IO.Pipelines;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Operations;
using PolicyGate.Runtime;

namespace PolicyGate.Egress;

/// <summary>
/// The forward proxy on egress.listen (DESIGN §8): parse one request head, identify the caller, decide, guard private and own
/// addresses, connect to the checked address, then tunnel (CONNECT) or forward in origin form (absolute http://).
/// </summary>
public sealed partial class EgressProxyHandler(
    EgressStore store,
    EgressIdentity identity,
    EgressSelfGuard self,
    EgressObservationQueue observations,
    RuntimeConfigProvider runtime,
    IAuditLog audit,
    IHostApplicationLifetime lifetime,
    ILogger<EgressProxyHandler> logger) : ConnectionHandler
{
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        CancellationToken closed = connection.ConnectionClosed;
        try
        {
            await HandleAsync(connection, closed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            Log.ConnectionEnded(logger, connection.ConnectionId, e.Message);
        }
    }

    private async Task HandleAsync(ConnectionContext connection, CancellationToken closed)
    {
        EdgeTimeouts timeouts = runtime.Current.Edge.Timeouts; // read once per connection
        byte[]? head;
        ProxyRequestError? error;
        using (CancellationTokenSource headTimeout = CancellationTokenSource.CreateLinkedTokenSource(closed))
        {
            headTimeout.CancelAfter(timeouts.Handshake);
            try
            {
                (head, error) = await EgressHeadReader.ReadAsync(connection.Transport.Input, headTimeout.Token);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                (head, error) = (null, new ProxyRequestError(408, "request head not received in time"));
            }
        }

        if (head is null || !ProxyRequestParser.TryParse(head, out ProxyRequest request, out error))
        {
            if (error is not null)
            {
                await RefuseAsync(connection, error.Status, error.Message, null, closed);
            }

            return;
        }

        IPAddress? peer = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        EgressCaller caller = identity.Identify(peer, request.ProxyUser, request.ProxyPassword);
        (EgressDecision decision, IPAddress? address) = await EgressDestinationDecision.DecideAsync(
            store.Current, caller, request, store.Now, timeouts.Connect, closed);
        if (!decision.IsAllowed)
        {
            if (decision.Layer == EgressLayers.Default)
            {
                observations.Record(new EgressObservation(false, caller.Name, request.Host, request.Port, store.Now));
            }

            await DenyAsync(connection, caller, request, decision, peer, closed);
            return;
        }

        if (decision.Layer is EgressLayers.Learn or EgressLayers.AllowAll)
        {
            // Recorded at decision time: what the container tried while learning, even if the private-address guard stops it.
            observations.Record(new EgressObservation(true, caller.Name, request.Host, request.Port, store.Now));
        }

        if (address is null)
        {
            EgressMetrics.Count(decision.Layer, "allow");
            await RefuseAsync(connection, 502, "cannot resolve " + request.Host, null, closed);
            return;
        }

        if (self.IsSelf(address, request.Port))
        {
            await DenyAsync(connection, caller, request, new EgressDecision(EgressAction.Deny, EgressLayers.Builtin, "self"), peer, closed);
            return;
        }

        if (PrivateAddress.IsPrivate(address) && !decision.NamesDestination)
        {
            await DenyAsync(connection, caller, request, decision.DenyFor("private_address"), peer, closed);
            return;
        }

        EgressMetrics.Count(decision.Layer, "allow");

        EgressConnectResult connect = await EgressConnector.ConnectAsync(address, request.Port, request.Authority, timeouts.Connect, closed);
        if (connect.Socket is null)
        {
            await RefuseAsync(connection, connect.Status, connect.Message, null, closed);
            return;
        }

        using System.Net.Sockets.Socket backend = connect.Socket;
        if (request.Kind == ProxyRequestKind.Connect)
        {
            await connection.Transport.Output.WriteAsync(EgressResponses.Established, closed);
        }
        else
        {
            await backend.SendAsync(ProxyRequestParser.OriginHead(request), System.Net.Sockets.SocketFlags.None, closed);
        }

        // Not linked to ConnectionClosed: Kestrel fires it on the client's FIN, and a half-closed tunnel must keep relaying the answer.
        await EgressTunnel.RunAsync(connection.Transport, backend, timeouts.Idle, timeouts.Total, _stopping);
    }

    private async Task DenyAsync(ConnectionContext connection, EgressCaller caller, ProxyRequest request, EgressDecision decision, IPAddress? peer,
        CancellationToken ct)
    {
        EgressMetrics.Count(decision.Layer, "deny");
        audit.Enqueue(new AuditEvent("egress.deny", "deny", decision.ReasonHeader, caller.Name, Details: new JsonObject
        {
            ["destination"] = request.Host,
            ["port"] = request.Port,
            ["layer"] = decision.Layer,
            ["rule_id"] = decision.RuleId,
            ["peer"] = peer?.ToString(),
        }));
        await RefuseAsync(connection, 403, EgressResponses.DeniedBody, decision.ReasonHeader, ct);
    }

    /// <summary>Answers and drains what the client still sends (briefly), so the answer is not lost to a reset.</summary>
    private static async Task RefuseAsync(ConnectionContext connection, int status, string body, string? reasonHeader, CancellationToken ct)
    {
        PipeWriter output = connection.Transport.Output;
        await EgressResponses.WriteAsync(output, status, body, reasonHeader, ct);
        await output.CompleteAsync();
        using CancellationTokenSource drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
        drain.CancelAfter(TimeSpan.FromSeconds(1));
        PipeReader input = connection.Transport.Input;
        long drained = 0;
        try
        {
            while (drained < 1 << 20)
            {
                ReadResult result = await input.ReadAsync(drain.Token);
                drained += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.EgressConnectionEnded, Level = LogLevel.Debug, Message = "egress connection {ConnectionId} ended: {Reason}")]
        public static partial void ConnectionEnded(ILogger logger, string connectionId, string reason);
    }
}
