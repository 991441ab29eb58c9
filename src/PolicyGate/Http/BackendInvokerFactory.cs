using System.Net;
using System.Net.Sockets;
using PolicyGate.Core.ProxyProtocol;
using PolicyGate.Edge;
using PolicyGate.Runtime;

namespace PolicyGate.Http;

/// <summary>
/// Backend HTTP clients: one shared pooled invoker for ports without a PROXY header, and a private invoker per client
/// connection for `pp = true` ports, whose every backend connection starts with that client's PROXY header (DESIGN §6).
/// Each backend connect is bounded by edge.timeouts.connect of the runtime config current at that moment (shared pool) or of
/// the client connection (pp invoker).
/// </summary>
public sealed class BackendInvokerFactory : IDisposable
{
    public BackendInvokerFactory(RuntimeConfigProvider runtime)
    {
        Shared = new HttpMessageInvoker(
            CreateHandler((context, token) => ConnectAsync(context.DnsEndPoint, runtime.Current.Edge.Timeouts.Connect, token)), disposeHandler: true);
    }

    /// <summary>The pooled invoker for every connection whose port has no PROXY header.</summary>
    public HttpMessageInvoker Shared { get; }

    /// <summary>A new invoker owned by one client connection: each backend connection it opens begins with the PROXY header.</summary>
    public HttpMessageInvoker CreateProxyProtocolInvoker(EdgeConnectionFeature edge)
    {
        byte[] header = ProxyHeaderWriter.Create(edge.ProxyHeaderVersion, edge.Client, edge.Destination);
        TimeSpan connectTimeout = edge.Config.Edge.Timeouts.Connect;
        return new HttpMessageInvoker(CreateHandler(async (context, token) =>
        {
            Stream stream = await ConnectAsync(context.DnsEndPoint, connectTimeout, token);
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

    private static SocketsHttpHandler CreateHandler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect)
    {
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = Timeout.InfiniteTimeSpan, // bounded in ConnectAsync by the runtime config's edge.timeouts.connect
            EnableMultipleHttp2Connections = true,
            // No traceparent/baggage injection: the forwarder passes the client's headers through untouched.
            ActivityHeadersPropagator = null,
            ConnectCallback = connect,
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            // As SocketsHttpHandler.ConnectTimeout reports it: the forwarder answers 504.
            throw new TimeoutException($"connect to {endPoint.Host}:{endPoint.Port} timed out after {timeout.TotalSeconds:0.###}s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
