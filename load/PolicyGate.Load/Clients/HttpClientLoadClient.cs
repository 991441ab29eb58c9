using System.Net.Security;
using System.Net.Sockets;

namespace PolicyGate.Load.Clients;

/// <summary>HttpClient over one SocketsHttpHandler limited to a fixed connection count (the "ordinary .NET client" reference).</summary>
public sealed class HttpClientLoadClient : ILoadClient, IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _uri;
    private readonly TimeSpan _timeout;

    public HttpClientLoadClient(ClientTarget target, int connections)
    {
        SocketsHttpHandler handler = new()
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = target.ServerName,
                // Loopback benchmark against our own throwaway cert: every peer is treated alike.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            },
            ConnectCallback = async (_, ct) =>
            {
                Socket socket = new(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(target.EndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        string scheme = target.ServerName is null ? "http" : "https";
        _uri = new Uri($"{scheme}://{target.EffectiveHost}:{target.EndPoint.Port}{target.Path}");
        _timeout = target.StepTimeout;
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ILoadConnection CreateConnection() => new Connection(this);

    public void Dispose() => _client.Dispose();

    private sealed class Connection(HttpClientLoadClient owner) : ILoadConnection
    {
        private readonly byte[] _sink = new byte[64 * 1024];

        public async ValueTask<long> ExecuteAsync(CancellationToken cancellationToken)
        {
            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(owner._timeout);
            try
            {
                using HttpRequestMessage request = new(HttpMethod.Get, owner._uri);
                using HttpResponseMessage response = await owner._client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
                long total = 0;
                int n;
                while ((n = await body.ReadAsync(_sink, timeout.Token)) > 0)
                {
                    total += n;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new LoadStepException("http_" + (int)response.StatusCode, "HTTP " + (int)response.StatusCode);
                }

                return total;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LoadStepException("timeout", "step timed out");
            }
            catch (HttpRequestException e)
            {
                throw new LoadStepException(e.HttpRequestError.ToString().ToLowerInvariant(), e.Message, e);
            }
            catch (IOException e)
            {
                throw new LoadStepException("io", e.Message, e);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
