namespace PolicyGate.Load.Clients;

/// <summary>The client kinds the runner knows, by their command-line names.</summary>
public static class ClientKind
{
    /// <summary>Raw HTTP/1.1 over SslStream, keep-alive (also bulk downloads with a large path).</summary>
    public const string HttpsRaw = "https-raw";
    /// <summary>HttpClient/SocketsHttpHandler with a fixed connection count.</summary>
    public const string HttpsClient = "https-client";
    /// <summary>A new TCP connection and full TLS handshake per step, one small request, then close.</summary>
    public const string TlsConnect = "tls-connect";
    /// <summary>A CONNECT tunnel per step through an HTTP forward proxy, one plain request inside, then close.</summary>
    public const string ConnectTunnel = "connect-tunnel";

    public static readonly string[] All = [HttpsRaw, HttpsClient, TlsConnect, ConnectTunnel];
}
