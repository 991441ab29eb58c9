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
        await node.RegisterAsync("i1", "myapp", PortPolicy.Open);
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonUnknownRoute);

        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, sni);

        Assert.False(ok);
        Assert.Equal(0, bytes);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonUnknownRoute, before);
        await node.WaitForDenialAuditAsync(sni, EdgeConstants.ReasonUnknownRoute);
    }

    [Fact]
    public async Task Upper_case_and_trailing_dot_route_like_lower_case()
    {
        await using LoopbackBackend backend = LoopbackBackend.Banner("SSH-2.0-test\r\n"u8.ToArray());
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("inst1", "myapp", EdgeNode.Only(new PortRule(backend.Port, Protocol: "tcp")));

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
        // Freshness is judged on the node's TimeProvider: a manual clock makes "past instance_stale_after" exact, no sleeping.
        PolicyGate.Tests.Store.ManualTimeProvider clock = new();
        await using EdgeNode node = await EdgeNode.StartAsync(o =>
        {
            o.Edge.ConnectTopN = 1;
            o.Edge.InstanceStaleAfter = TimeSpan.FromMinutes(2);
        }, services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(services, clock));
        // Both instances run on 127.0.0.1, so each reaches a different backend through a port only it allows.
        await node.RegisterAsync("oldone", "shop", EdgeNode.Only(new PortRule(old.Port, Protocol: "tcp")));
        clock.Advance(TimeSpan.FromSeconds(1));
        await node.RegisterAsync("newone", "shop", EdgeNode.Only(new PortRule(fresh.Port, Protocol: "tcp"), new PortRule(old.Port, Protocol: "tcp")));

        // App id: the newest instance only (connect_top_n = 1) — "new" although old.Port is allowed on both.
        Assert.Equal("old\n", await ReadLineAsync(node, $"oldone-{old.Port}.localhost"));
        Assert.Equal("new\n", await ReadLineAsync(node, $"shop-{fresh.Port}.localhost"));

        // Past instance_stale_after the app id finds nothing, the instance id still routes.
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, $"shop-{fresh.Port}.localhost");
        Assert.False(ok);
        Assert.Equal(0, bytes);
        Assert.Equal("new\n", await ReadLineAsync(node, $"newone-{fresh.Port}.localhost"));
    }

    private static async Task<string> ReadLineAsync(EdgeNode node, string sni)
    {
        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, sni);
        byte[] line = new byte[4];
        await client.Ssl.ReadExactlyAsync(line);
        return Encoding.ASCII.GetString(line);
    }

    [Fact]
    public async Task Http_port_is_handed_to_the_http_pipeline_and_health_host_answers()
    {
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("web1", "web", PortPolicy.Open);
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

        // `g`: HTTP/2 end to end into the HTTP pipeline.
        using HttpRequestMessage h2Request = new(HttpMethod.Get, "https://web-8080g.localhost/") { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        HttpResponseMessage h2 = await http.SendAsync(h2Request);
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, h2.StatusCode);
        Assert.Equal(System.Net.HttpVersion.Version20, h2.Version);

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
        await node.RegisterAsync("web1", "web", PortPolicy.Open);

        await using (EdgeClient h2 = await EdgeClient.ConnectAsync(node.Edge, "web-8080g.localhost", [SslApplicationProtocol.Http11, SslApplicationProtocol.Http2]))
        {
            Assert.Equal(SslApplicationProtocol.Http2, h2.Ssl.NegotiatedApplicationProtocol);
        }

        await using EdgeClient h1 = await EdgeClient.ConnectAsync(node.Edge, "web-8080.localhost", [SslApplicationProtocol.Http11]);
        Assert.Equal(SslApplicationProtocol.Http11, h1.Ssl.NegotiatedApplicationProtocol);
    }
}
