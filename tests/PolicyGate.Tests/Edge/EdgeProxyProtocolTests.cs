using System.Collections.Concurrent;
using System.Net;
using System.Text;
using PolicyGate.Core.Policy;
using PolicyGate.Core.ProxyProtocol;
using PolicyGate.Edge;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Edge;

/// <summary>DESIGN §4.1 and §4.6: inbound PROXY header from trusted proxies, outbound header on pp ports with the version rule.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeProxyProtocolTests
{
    [Theory]
    [InlineData(null, 2)]   // no inbound header → v2 out, client = socket peer
    [InlineData(1, 1)]      // v1 in → v1 out
    [InlineData(2, 2)]      // v2 in → v2 out
    public async Task Outbound_header_names_the_client_and_original_destination(int? inboundVersion, int expectedVersion)
    {
        ConcurrentQueue<ProxyHeader?> headers = new();
        await using LoopbackBackend backend = ProxyHeaderRecorder.Start(headers);
        await using EdgeNode node = await EdgeNode.StartAsync(o => o.Edge.InboundProxyProtocol = inboundVersion is not null);
        await node.RegisterAsync("pp1", "pp", EdgeNode.Only(new PortRule(backend.Port, Pp: true, Protocol: "tcp")));
        IPEndPoint client = IPEndPoint.Parse("203.0.113.7:40001");
        IPEndPoint destination = IPEndPoint.Parse("198.51.100.9:443");
        byte[]? preamble = inboundVersion is int v ? ProxyHeaderWriter.Create(v, client, destination) : null;

        await using EdgeClient c = await EdgeClient.ConnectAsync(node.Edge, $"pp-{backend.Port}.localhost", preamble: preamble);
        string reply = await PingAsync(c);

        Assert.Equal("ok\nping\n", reply);
        ProxyHeader header = Assert.Single(headers)!;
        Assert.NotNull(header);
        Assert.Equal(expectedVersion, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Empty(header.Tlvs);
        if (inboundVersion is null)
        {
            Assert.Equal(((IPEndPoint)c.Socket.LocalEndPoint!).Port, header.Source!.Port);
            Assert.Equal(node.Edge, header.Destination);
        }
        else
        {
            Assert.Equal(client, header.Source);
            Assert.Equal(destination, header.Destination);
        }
    }

    [Fact]
    public async Task No_header_on_a_pp_false_port()
    {
        ConcurrentQueue<ProxyHeader?> headers = new();
        await using LoopbackBackend backend = ProxyHeaderRecorder.Start(headers);
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("nopp1", "nopp", EdgeNode.Only(new PortRule(backend.Port, Pp: false, Protocol: "tcp")));

        await using EdgeClient c = await EdgeClient.ConnectAsync(node.Edge, $"nopp-{backend.Port}.localhost");

        Assert.Equal("ok\nping\n", await PingAsync(c));
        Assert.Null(Assert.Single(headers));
    }

    [Fact]
    public async Task Inbound_LOCAL_header_keeps_the_socket_peer()
    {
        ConcurrentQueue<ProxyHeader?> headers = new();
        await using LoopbackBackend backend = ProxyHeaderRecorder.Start(headers);
        await using EdgeNode node = await EdgeNode.StartAsync(o => o.Edge.InboundProxyProtocol = true);
        await node.RegisterAsync("pp1", "pp", EdgeNode.Only(new PortRule(backend.Port, Pp: true, Protocol: "tcp")));
        byte[] local = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00];

        await using EdgeClient c = await EdgeClient.ConnectAsync(node.Edge, $"pp-{backend.Port}.localhost", preamble: local);
        Assert.Equal("ok\nping\n", await PingAsync(c));

        ProxyHeader header = Assert.Single(headers)!;
        Assert.Equal(2, header.Version);
        Assert.Equal(((IPEndPoint)c.Socket.LocalEndPoint!).Port, header.Source!.Port);
    }

    [Fact]
    public async Task Untrusted_peer_sending_a_PROXY_header_is_refused()
    {
        await using EdgeNode node = await EdgeNode.StartAsync(o =>
        {
            o.Edge.InboundProxyProtocol = true;
            o.Edge.TrustedProxies = ["10.0.0.0/8"];
        });
        await node.RegisterAsync("pp1", "pp", PortPolicy.Open);
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonProxyProtocol);

        byte[] spoof = ProxyHeaderWriter.Create(1, IPEndPoint.Parse("203.0.113.7:40001"), IPEndPoint.Parse("198.51.100.9:443"));
        await Assert.ThrowsAnyAsync<Exception>(() => EdgeClient.ConnectAsync(node.Edge, "pp-22.localhost", preamble: spoof));

        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonProxyProtocol, before);
    }

    [Fact]
    public async Task Trusted_peer_without_the_required_header_is_refused()
    {
        await using EdgeNode node = await EdgeNode.StartAsync(o => o.Edge.InboundProxyProtocol = true);
        await node.RegisterAsync("pp1", "pp", PortPolicy.Open);
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonProxyProtocol);

        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, "pp-22.localhost");

        Assert.False(ok);
        Assert.Equal(0, bytes);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonProxyProtocol, before);
    }

    private static async Task<string> PingAsync(EdgeClient c)
    {
        await c.Ssl.WriteAsync("ping\n"u8.ToArray());
        byte[] reply = new byte[8];
        await c.Ssl.ReadExactlyAsync(reply).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(reply);
    }
}
