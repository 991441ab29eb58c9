using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using PolicyGate.Core.Audit;

namespace PolicyGate.Tests.Http;

/// <summary>WebSocket upgrades pass through the edge HTTP pipeline (stand-in edge, real TLS) and are audited as http.upgrade.</summary>
public sealed class WebSocketForwardingTests(BackendsFixture backends) : IClassFixture<BackendsFixture>
{
    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task WebSocket_echo_passes_through_and_is_audited(string clientVersion)
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port));
        using SocketsHttpHandler handler = new()
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            ConnectCallback = async (_, token) =>
            {
                Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, edge.Port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using HttpMessageInvoker invoker = new(handler);
        using ClientWebSocket ws = new();
        ws.Options.HttpVersion = Version.Parse(clientVersion);
        ws.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        ws.Options.CollectHttpResponseDetails = true;
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));

        await ws.ConnectAsync(new Uri($"wss://myapp-8080.localhost:{edge.Port}/ws"), invoker, timeout.Token);
        Assert.Equal(clientVersion == "2.0" ? HttpStatusCode.OK : HttpStatusCode.SwitchingProtocols, ws.HttpStatusCode);

        byte[] received = new byte[1024];
        for (int i = 0; i < 3; i++)
        {
            byte[] message = Encoding.UTF8.GetBytes($"hello #{i} over {clientVersion}");
            await ws.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            ValueWebSocketReceiveResult result = await ws.ReceiveAsync(received.AsMemory(), timeout.Token);
            Assert.True(result.EndOfMessage);
            Assert.Equal(message, received[..result.Count]);
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);

        AuditEvent upgrade = Assert.Single(edge.Audit.Events, e => e.Kind == "http.upgrade");
        Assert.Equal("allow", upgrade.Decision);
        Assert.Equal($"{EdgeRoute.InstanceId}:{backends.Http1.Port}", upgrade.Subject);
        Assert.Equal("websocket", upgrade.Details!["upgrade"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal("/ws", upgrade.Details["path"]!.GetValue<string>());
    }
}
