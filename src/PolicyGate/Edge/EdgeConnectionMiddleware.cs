using System.Net;
using System.Net.Security;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using PolicyGate.AccessLog;
using PolicyGate.Acme;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Tls;
using PolicyGate.Runtime;

namespace PolicyGate.Edge;

/// <summary>
/// The edge data plane on one listener (DESIGN §4): accept → PROXY header → SNI peek → route → port policy → limit →
/// passthrough, terminated tcp, or terminated http handed to Kestrel's HTTP layer (the next middleware).
/// Each connection reads the runtime config once, at accept, and keeps that snapshot to its end.
/// </summary>
internal sealed partial class EdgeConnectionMiddleware
{
    private readonly ConnectionDelegate _next;
    private readonly RuntimeConfigProvider _runtime;
    private readonly EdgeRouter _router;
    private readonly EdgeConnectionTracker _tracker;
    private readonly TlsAlpnChallengeResponder _acmeChallenges;
    private readonly IAuditLog _audit;
    private readonly AccessLogWriter _accessLog;
    private readonly ILogger<EdgeConnectionMiddleware> _logger;

    public EdgeConnectionMiddleware(ConnectionDelegate next, RuntimeConfigProvider runtime, EdgeRouter router, EdgeConnectionTracker tracker,
        TlsAlpnChallengeResponder acmeChallenges, IAuditLog audit, AccessLogWriter accessLog, ILogger<EdgeConnectionMiddleware> logger)
    {
        _accessLog = accessLog;
        _next = next;
        _runtime = runtime;
        _router = router;
        _tracker = tracker;
        _acmeChallenges = acmeChallenges;
        _audit = audit;
        _logger = logger;
        if (runtime.Current.Tls.Certificate.Error is { } error)
        {
            // Reported here, at listener start, as well as by /readyz.
            Log.CertificateNotLoaded(logger, error);
        }
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (connection.RemoteEndPoint is not IPEndPoint peer || connection.LocalEndPoint is not IPEndPoint local || _tracker.Draining)
        {
            return;
        }

        RuntimeConfig config = _runtime.Current;
        EdgeConnectionState state = new()
        {
            Config = config,
            ConnectionId = connection.ConnectionId,
            SocketPeer = peer,
            LocalEndPoint = local,
            PeerIsTrustedProxy = config.Edge.TrustedProxies.Contains(peer.Address),
            Client = peer,
            Destination = local,
        };

        DateTime acceptedAt = DateTime.UtcNow;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await RunAsync(connection, state);
        }
        catch (Exception ex) when (PipeSocketRelay.IsRelayEnd(ex) || ex is AuthenticationException)
        {
            Log.ConnectionEnded(_logger, state.ConnectionId, state.Client, state.Sni, ex.Message);
            state.Reason ??= ex.Message;
        }
        catch (Exception ex)
        {
            Log.ConnectionFailed(_logger, state.ConnectionId, state.Client, state.Sni, ex);
            state.Outcome = EdgeConstants.OutcomeError;
            state.Reason ??= ex.Message;
        }
        finally
        {
            if (_accessLog.Enabled)
            {
                _accessLog.Write(EdgeAccessLog.Entry(state, acceptedAt, started));
            }
        }
    }

    private async Task RunAsync(ConnectionContext connection, EdgeConnectionState state)
    {
        EdgeTimeouts timeouts = state.Config.Edge.Timeouts;
        // Not linked to ConnectionClosed: Kestrel fires it on the client's FIN, and a client may send its ClientHello and FIN in one
        // flight (half-close); every wait below is bounded by its own timeout and a reset client completes the pipe anyway.
        using CancellationTokenSource deadline = new();
        EdgeDenial? denial = null;
        if (state.Config.Edge.InboundProxyProtocol && state.PeerIsTrustedProxy)
        {
            deadline.CancelAfter(timeouts.PpHeader);
            denial = await InboundProxyHeaderReader.ReadAsync(connection.Transport.Input, state, deadline.Token);
            if (denial is null)
            {
                ApplyClientAddress(connection, state.Client);
            }
        }

        ClientHelloInfo? hello = null;
        if (denial is null)
        {
            deadline.CancelAfter(timeouts.Handshake);
            (hello, denial) = await ClientHelloPeeker.PeekAsync(connection.Transport.Input, deadline.Token);
            state.OfferedAlpn = hello?.Alpn ?? [];
        }

        if (denial is null && _acmeChallenges.Active && _acmeChallenges.For(hello!.ServerName!, hello.Alpn) is { } challenge)
        {
            await AnswerAcmeChallengeAsync(connection, state, challenge, deadline.Token);
            return;
        }

        denial ??= _router.Route(state, hello!.ServerName!);
        if (denial is null && state.Mode == EdgeConstants.ModePassthrough && state.Config.Tls.RefusesPassthrough)
        {
            // The client's TLS goes to the backend untouched, so edge.client_ca_file cannot be checked: refuse (fail closed).
            denial = new EdgeDenial(EdgeConstants.ReasonClientCertificate, "passthrough route while edge.client_ca_file is set (edge.client_ca_passthrough = \"refuse\")");
        }

        if (denial is { } refused)
        {
            Deny(state, refused);
            return;
        }

        Log.Routed(_logger, state.ConnectionId, state.Client, state.Sni, state.Mode, state.Route!.Port, state.Allowed.Count);
        if (state.Route!.IsHealth)
        {
            await TerminateAsync(connection, state, deadline);
            return;
        }

        string appId = state.AppId!;
        int limit = state.Config.Edge.MaxConnectionsPerApp;
        if (!_tracker.TryAcquireApp(appId, limit))
        {
            Deny(state, new EdgeDenial(EdgeConstants.ReasonLimit, $"app '{appId}' is at edge.max_connections_per_app ({limit})"));
            return;
        }

        EdgeMetrics.ActiveConnections.WithLabels(state.Mode).Inc();
        try
        {
            if (state.Mode == EdgeConstants.ModePassthrough)
            {
                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                await PassthroughAsync(connection, state);
            }
            else
            {
                await TerminateAsync(connection, state, deadline);
            }
        }
        finally
        {
            EdgeMetrics.ActiveConnections.WithLabels(state.Mode).Dec();
            _tracker.ReleaseApp(appId);
        }
    }

    private async Task PassthroughAsync(ConnectionContext connection, EdgeConnectionState state)
    {
        using Socket? backend = await ConnectAsync(connection, state);
        if (backend is null)
        {
            return;
        }

        await RelayAsync(state, activity => PipeSocketRelay.RunAsync(connection.Transport, backend, activity));
    }

    private async Task TerminateAsync(ConnectionContext connection, EdgeConnectionState state, CancellationTokenSource deadline)
    {
        bool health = state.Route!.IsHealth;
        SslServerAuthenticationOptions? serverOptions = !health && !state.Route.Http2 && state.Mode == EdgeConstants.ModeTcp
            ? state.Config.Tls.ForTcp(state.OfferedAlpn)
            : state.Config.Tls.For(http2Only: state.Route.Http2, allowHttp2: !health && state.Mode == EdgeConstants.ModeHttp, health: health);
        if (serverOptions is null)
        {
            Log.NoCertificate(_logger, state.ConnectionId, state.Client, state.Sni);
            CountOutcome(state, EdgeConstants.OutcomeError);
            return;
        }

        SslStream ssl = new(new DuplexPipeStream(connection.Transport), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            deadline.CancelAfter(state.Config.Edge.Timeouts.Handshake);
            try
            {
                await ssl.AuthenticateAsServerAsync(serverOptions, deadline.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                Log.HandshakeFailed(_logger, state.ConnectionId, state.Client, state.Sni, ex.Message);
                CountOutcome(state, EdgeConstants.OutcomeError);
                return;
            }

            if (health)
            {
                await HealthResponder.RespondAsync(ssl, deadline.Token);
                return;
            }

            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            if (state.Mode == EdgeConstants.ModeTcp)
            {
                await TerminatedTcpAsync(connection, state, ssl);
            }
            else
            {
                await HandToHttpAsync(connection, state, ssl);
            }
        }
    }

    /// <summary>TLS-ALPN-01 validation connection: handshake with the challenge certificate, then close (RFC 8737 §3).</summary>
    private async Task AnswerAcmeChallengeAsync(ConnectionContext connection, EdgeConnectionState state, SslServerAuthenticationOptions challenge, CancellationToken deadline)
    {
        SslStream ssl = new(new DuplexPipeStream(connection.Transport), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            try
            {
                await ssl.AuthenticateAsServerAsync(challenge, deadline);
                await ssl.ShutdownAsync();
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                Log.HandshakeFailed(_logger, state.ConnectionId, state.Client, TlsAlpnChallengeResponder.AlpnProtocol, ex.Message);
            }
        }
    }

    private async Task TerminatedTcpAsync(ConnectionContext connection, EdgeConnectionState state, SslStream ssl)
    {
        using Socket? backend = await ConnectAsync(connection, state);
        if (backend is null)
        {
            await ssl.ShutdownAsync(); // close_notify: the client learns the session ended cleanly
            return;
        }

        await RelayAsync(state, activity => StreamSocketRelay.RunAsync(ssl, backend, activity));
    }

    private async Task HandToHttpAsync(ConnectionContext connection, EdgeConnectionState state, SslStream ssl)
    {
        connection.Features.Set(new EdgeConnectionFeature
        {
            ConnectionId = state.ConnectionId,
            Client = state.Client,
            Destination = state.Destination,
            ProxyHeaderVersion = state.ProxyHeaderVersion,
            PeerIsTrustedProxy = state.PeerIsTrustedProxy,
            Sni = state.Sni!,
            Instance = state.Allowed[0].Instance,
            Port = state.Route!.Port,
            Http2 = state.Route.Http2,
            Config = state.Config,
        });
        EdgeTlsFeature tlsFeature = new(ssl);
        connection.Features.Set<ITlsConnectionFeature>(tlsFeature);
        connection.Features.Set<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature>(tlsFeature);
        connection.Features.Set<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>(tlsFeature);

        IDuplexPipe original = connection.Transport;
        SslDuplexPipe decrypted = new(ssl);
        connection.Transport = decrypted;
        CountOutcome(state, EdgeConstants.OutcomeOk);
        try
        {
            await _next(connection);
        }
        finally
        {
            await decrypted.Input.CompleteAsync();
            await decrypted.Output.CompleteAsync();
            connection.Transport = original;
        }
    }
}
