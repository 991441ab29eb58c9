using System.Net.Http;
using System.Net.Security;
using System.Text;
using PolicyGate.Core.Policy;
using PolicyGate.Edge;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Edge;

/// <summary>DESIGN §4.3 end to end: SNI grammar, instance vs app id, the health host, refusals before any TLS byte.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeRoutingTests
{
    [Theory]
    [InlineData("myapp-8080sg.localhost")]   // both s and g
    [InlineData("-8080.localhost")]           // empty id
    [InlineData("myapp-80-x.localhost")]      // three parts
    [InlineData("myapp-8080.example.com")]    // foreign base domain
    [InlineData("nosuchapp-8080.localhost")]  // unknown id
    public async Task Bad_or_unknown_routes_are_closed_before_any_TLS_byte(string sni)
    {
        await using EdgeNode node = await EdgeNode.StartAsync();
        node.Directory.Register("i-1", "myapp", PortPolicy.Open);
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonUnknownRoute);

        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, sni);

        Assert.False(ok);
        Assert.Equal(0, bytes);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonUnknownRoute, before);
        await node.WaitForAuditAsync(EdgeConstants.ReasonUnknownRoute, e => e.Subject == sni);
    }

    [Fact]
    public async Task Upper_case_and_trailing_dot_route_like_lower_case()
    {
        await using LoopbackBackend backend = LoopbackBackend.Banner("SSH-2.0-test\r\n"u8.ToArray());
        await using EdgeNode node = await EdgeNode.StartAsync();
        node.Directory.Register("inst1", "myapp", TestInstanceDirectory.Only(new PortRule(backend.Port, Protocol: "tcp")));

        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, $"MyApp-{backend.Port}.LOCALHOST.");
        byte[] banner = new byte[14];
        await client.Ssl.ReadExactlyAsync(banner);
        Assert.Equal("SSH-2.0-test\r\n", Encoding.ASCII.GetString(banner));
    }

    [Fact]
    public async Task Instance_id_routes_to_that_instance_and_app_id_to_the_newest_fresh_one()
    {
        await using LoopbackBackend old = LoopbackBackend.Banner("old\n"u8.ToArray());
        await using LoopbackBackend fresh = LoopbackBackend.Banner("new\n"u8.ToArray());
        await using EdgeNode node = await EdgeNode.StartAsync(o => o.Edge.ConnectTopN = 1);
        // Same port number on both would need two addresses; use each backend's port and allow both on both instances.
        PortPolicy policy = TestInstanceDirectory.Only(new PortRule(old.Port, Protocol: "tcp"), new PortRule(fresh.Port, Protocol: "tcp"));
        node.Directory.Register("oldone", "shop", policy, lastSeen: DateTimeOffset.UtcNow.AddMinutes(-5));
        node.Directory.Register("newone", "shop", policy, lastSeen: DateTimeOffset.UtcNow);
        node.Directory.Register("stale", "gone", policy, lastSeen: DateTimeOffset.UtcNow.AddHours(-2));

        // Instance id: that instance whatever its age.
        await using (EdgeClient c = await EdgeClient.ConnectAsync(node.Edge, $"stale-{old.Port}.localhost"))
        {
            byte[] line = new byte[4];
            await c.Ssl.ReadExactlyAsync(line);
            Assert.Equal("old\n", Encoding.ASCII.GetString(line));
        }

        // App id whose only instance is stale (older than instance_stale_after): unknown.
        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, $"gone-{old.Port}.localhost");
        Assert.False(ok);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public async Task Http_port_is_handed_to_the_http_pipeline_and_health_host_answers()
    {
        await using EdgeNode node = await EdgeNode.StartAsync();
        node.Directory.Register("web1", "web", PortPolicy.Open);
        using SocketsHttpHandler handler = new()
        {
            ConnectCallback = async (ctx, ct) =>
            {
                System.Net.Sockets.Socket s = new(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await s.ConnectAsync(node.Edge, ct);
                return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        };
        using HttpClient http = new(handler);

        // `web` (port 80, http by edge.default_protocol) reaches the HTTP pipeline; its stub answers 502 JSON.
        HttpResponseMessage web = await http.GetAsync("https://web.localhost/");
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, web.StatusCode);

        HttpResponseMessage health = await http.GetAsync("https://health.localhost/");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Empty(await health.Content.ReadAsByteArrayAsync());
        HttpResponseMessage other = await http.GetAsync("https://health.localhost/other");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);

        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, "health-8080.localhost");
        Assert.False(ok);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public async Task G_suffix_offers_only_h2_and_plain_ports_offer_http11_and_h2()
    {
        await using EdgeNode node = await EdgeNode.StartAsync();
        node.Directory.Register("web1", "web", PortPolicy.Open);

        await using (EdgeClient h2 = await EdgeClient.ConnectAsync(node.Edge, "web-8080g.localhost", [SslApplicationProtocol.Http11, SslApplicationProtocol.Http2]))
        {
            Assert.Equal(SslApplicationProtocol.Http2, h2.Ssl.NegotiatedApplicationProtocol);
        }

        await using EdgeClient h1 = await EdgeClient.ConnectAsync(node.Edge, "web-8080.localhost", [SslApplicationProtocol.Http11]);
        Assert.Equal(SslApplicationProtocol.Http11, h1.Ssl.NegotiatedApplicationProtocol);
    }
}
