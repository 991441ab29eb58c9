using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using PolicyGate.Core.Audit;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Edge;

/// <summary>Connect, relay bookkeeping, denials (metrics + audit + log) of the edge middleware.</summary>
internal sealed partial class EdgeConnectionMiddleware
{
    /// <summary>Races the candidates and writes the outbound PROXY header when the winner's policy says pp; null (denied, counted) on failure.</summary>
    private async Task<Socket?> ConnectAsync(ConnectionContext connection, EdgeConnectionState state)
    {
        (Socket Socket, RoutedCandidate Winner)? connected = await BackendConnector.ConnectAsync(
            state.Allowed, state.Route!.Port, state.Config.Edge.Timeouts.Connect, CancellationToken.None); // bounded by connect; a half-closed client still wants its reply
        if (connected is not { } winner)
        {
            Deny(state, new EdgeDenial(EdgeConstants.ReasonConnectFailed,
                $"no candidate of '{state.Route.Id}' accepted port {state.Route.Port} within edge.timeouts.connect"));
            return null;
        }

        Log.Connected(_logger, state.ConnectionId, state.Client, state.Sni, winner.Winner.Instance.InstanceId, winner.Winner.Decision.SendProxyHeader);
        state.InstanceId = winner.Winner.Instance.InstanceId;
        if (winner.Winner.Decision.SendProxyHeader)
        {
            byte[] header = ProxyHeaderWriter.Create(state.ProxyHeaderVersion, state.Client, state.Destination);
            try
            {
                await winner.Socket.SendAsync(header, SocketFlags.None, CancellationToken.None);
            }
            catch
            {
                winner.Socket.Dispose();
                throw;
            }
        }

        CountOutcome(state, EdgeConstants.OutcomeOk);
        return winner.Socket;
    }

    private async Task RelayAsync(EdgeConnectionState state, Func<RelayActivity, Task> relay)
    {
        RelayActivity activity = _tracker.StartRelay(state.Config.Edge.Timeouts);
        try
        {
            await relay(activity);
        }
        finally
        {
            string reason = activity.AbortReason ?? "closed";
            Log.RelayEnded(_logger, state.ConnectionId, state.Client, state.Sni, reason);
            (state.BytesIn, state.BytesOut, state.Reason) = (activity.BytesUp, activity.BytesDown, reason);
            _tracker.EndRelay(activity);
        }
    }

    /// <summary>Counts, logs and audits a close-before-forward; the caller then returns, which closes the socket (no byte answered).</summary>
    private void Deny(EdgeConnectionState state, EdgeDenial denial)
    {
        EdgeMetrics.Denials.WithLabels(denial.Reason).Inc();
        CountOutcome(state, EdgeConstants.OutcomeDenied);
        state.Reason = denial.Reason;
        Log.Denied(_logger, state.ConnectionId, state.Client, state.Sni, denial.Reason, denial.Detail);
        _audit.Enqueue(new AuditEvent(
            EdgeConstants.AuditKindDeny,
            "deny",
            denial.Reason,
            state.Sni ?? state.Client.ToString(),
            state.TenantId,
            new JsonObject
            {
                ["connection_id"] = state.ConnectionId,
                ["client"] = state.Client.ToString(),
                ["peer"] = state.SocketPeer.ToString(),
                ["sni"] = state.Sni,
                ["port"] = state.Route?.Port,
                ["detail"] = denial.Detail,
            }));
    }

    /// <summary>edge_connections_total counts connections whose mode is known (after routing); earlier closes are in edge_denials_total.</summary>
    private static void CountOutcome(EdgeConnectionState state, string outcome)
    {
        state.Outcome = outcome;
        if (state.Mode.Length > 0)
        {
            EdgeMetrics.Connections.WithLabels(state.Mode, outcome).Inc();
        }
    }

    /// <summary>The inbound PROXY header's client replaces the socket peer for everything after (Kestrel's HTTP layer reads RemoteEndPoint).</summary>
    private static void ApplyClientAddress(ConnectionContext connection, IPEndPoint client)
    {
        connection.RemoteEndPoint = client;
        if (connection.Features.Get<IHttpConnectionFeature>() is { } http)
        {
            http.RemoteIpAddress = client.Address;
            http.RemotePort = client.Port;
        }
    }
}
