using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Tests.Infrastructure;

/// <summary>An HttpClient for https://{host}:{edge port}/ whose connections all go to the edge endpoint (SNI = host; the dev certificate is accepted).</summary>
public static class EdgeHttpClient
{
    public static HttpClient Create(IPEndPoint edge, string host)
    {
        SocketsHttpHandler handler = new()
        {
            ConnectCallback = async (_, ct) =>
            {
                Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(edge, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri($"https://{host}:{edge.Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }
}
