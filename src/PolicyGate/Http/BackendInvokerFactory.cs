using System.Net;
using System.Net.Sockets;
using PolicyGate.Configuration;
using PolicyGate.Core.ProxyProtocol;
using PolicyGate.Edge;

namespace PolicyGate.Http;

/// <summary>
/// Backend HTTP clients: one shared pooled invoker for ports without a PROXY header, and a private invoker per client
/// connection for `pp = true` ports, whose every backend connection starts with that client's PROXY header (DESIGN §6).
/// </summary>
public sealed class BackendInvokerFactory : IDisposable
{
    private readonly TimeSpan _connectTimeout;

    public BackendInvokerFactory(PolicyGateOptions options)
    {
        _connectTimeout = options.Edge.Timeouts.Connect;
        Shared = new HttpMessageInvoker(CreateHandler(static (context, token) => ConnectAsync(context.DnsEndPoint, token)), disposeHandler: true);
    }

    /// <summary>The pooled invoker for every connection whose port has no PROXY header.</summary>
    public HttpMessageInvoker Shared { get; }

    /// <summary>A new invoker owned by one client connection: each backend connection it opens begins with the PROXY header.</summary>
    public HttpMessageInvoker CreateProxyProtocolInvoker(EdgeConnectionFeature edge)
    {
        byte[] header = ProxyHeaderWriter.Create(edge.ProxyHeaderVersion, edge.Client, edge.Destination);
        return new HttpMessageInvoker(CreateHandler(async (context, token) =>
        {
            Stream stream = await ConnectAsync(context.DnsEndPoint, token);
            try
            {
                await stream.WriteAsync(header, token);
                return stream;
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }
        }), disposeHandler: true);
    }

    public void Dispose() => Shared.Dispose();

    private SocketsHttpHandler CreateHandler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect)
    {
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = _connectTimeout,
            EnableMultipleHttp2Connections = true,
            // No traceparent/baggage injection: the forwarder passes the client's headers through untouched.
            ActivityHeadersPropagator = null,
            ConnectCallback = connect,
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
