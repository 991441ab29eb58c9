using System.Net;
using PolicyGate.Operations;

namespace PolicyGate.Edge;

/// <summary>Log messages of the edge middleware; every one carries the connection id, client address and SNI.</summary>
internal sealed partial class EdgeConnectionMiddleware
{
    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.EdgeDenied, Level = LogLevel.Information, Message = "edge {ConnectionId} client {Client} sni {Sni}: denied {Reason} ({Detail})")]
        public static partial void Denied(ILogger logger, string connectionId, IPEndPoint client, string? sni, string reason, string detail);

        [LoggerMessage(EventId = LogEvents.EdgeRouted, Level = LogLevel.Debug, Message = "edge {ConnectionId} client {Client} sni {Sni}: routed mode {Mode} port {Port}, {Candidates} candidate(s) allowed")]
        public static partial void Routed(ILogger logger, string connectionId, IPEndPoint client, string? sni, string mode, int port, int candidates);

        [LoggerMessage(EventId = LogEvents.EdgeConnected, Level = LogLevel.Debug, Message = "edge {ConnectionId} client {Client} sni {Sni}: connected to {Instance} (proxy header {ProxyHeader})")]
        public static partial void Connected(ILogger logger, string connectionId, IPEndPoint client, string? sni, string instance, bool proxyHeader);

        [LoggerMessage(EventId = LogEvents.EdgeRelayEnded, Level = LogLevel.Debug, Message = "edge {ConnectionId} client {Client} sni {Sni}: relay ended ({Reason})")]
        public static partial void RelayEnded(ILogger logger, string connectionId, IPEndPoint client, string? sni, string reason);

        [LoggerMessage(EventId = LogEvents.EdgeHandshakeFailed, Level = LogLevel.Information, Message = "edge {ConnectionId} client {Client} sni {Sni}: TLS handshake failed: {Error}")]
        public static partial void HandshakeFailed(ILogger logger, string connectionId, IPEndPoint client, string? sni, string error);

        [LoggerMessage(EventId = LogEvents.EdgeNoCertificate, Level = LogLevel.Error, Message = "edge {ConnectionId} client {Client} sni {Sni}: no edge certificate loaded; closing")]
        public static partial void NoCertificate(ILogger logger, string connectionId, IPEndPoint client, string? sni);

        [LoggerMessage(EventId = LogEvents.EdgeConnectionEnded, Level = LogLevel.Debug, Message = "edge {ConnectionId} client {Client} sni {Sni}: connection ended: {Error}")]
        public static partial void ConnectionEnded(ILogger logger, string connectionId, IPEndPoint client, string? sni, string error);

        [LoggerMessage(EventId = LogEvents.EdgeConnectionFailed, Level = LogLevel.Error, Message = "edge {ConnectionId} client {Client} sni {Sni}: connection failed")]
        public static partial void ConnectionFailed(ILogger logger, string connectionId, IPEndPoint client, string? sni, Exception exception);

        [LoggerMessage(EventId = LogEvents.EdgeCertificateNotLoaded, Level = LogLevel.Error, Message = "edge certificate not loaded: {Reason}")]
        public static partial void CertificateNotLoaded(ILogger logger, string reason);
    }
}
