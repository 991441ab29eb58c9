using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Http;

/// <summary>
/// Forwarding through the edge HTTP pipeline over real TLS and real loopback backends. The edge is a stand-in
/// (<see cref="StandInEdge"/>) to test forwarding in isolation; end-to-end through the real edge: Cli/DemoEndToEndTests.
/// </summary>
public sealed class HttpForwardingTests(BackendsFixture backends) : IClassFixture<BackendsFixture>
{
    [Fact]
    public async Task Forwarding_headers_name_the_real_client_and_drop_spoofed_ones()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port));
        IPEndPoint? local = null;
        using HttpClient client = edge.CreateClient(onConnected: ep => local = ep);
        using HttpRequestMessage request = new(HttpMethod.Get, "/echo");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/admin");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");
        request.Headers.TryAddWithoutValidation("CF-Connecting-IP", "7.7.7.7");

        EchoReply reply = await SendForEchoAsync(client, request);

        Assert.NotNull(local);
        Assert.Equal("127.0.0.1", reply.Headers["x-forwarded-for"]);
        Assert.Equal("https", reply.Headers["x-forwarded-proto"]);
        Assert.Equal("myapp-8080.localhost:" + edge.Port, reply.Headers["x-forwarded-host"]);
        Assert.Equal($"for=127.0.0.1;proto=https;host=\"myapp-8080.localhost:{edge.Port}\"", reply.Headers["forwarded"]);
        Assert.False(reply.Headers.ContainsKey("x-forwarded-prefix"));
        Assert.False(reply.Headers.ContainsKey("cf-connecting-ip"));
        Assert.Equal("myapp-8080.localhost:" + edge.Port, reply.Headers["host"]);
    }

    [Fact]
    public async Task CF_Connecting_IP_is_honoured_only_when_the_peer_is_a_trusted_proxy()
    {
        await using StandInEdge trusted = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port, trustedPeer: true));
        using HttpClient viaTrusted = trusted.CreateClient(host: "myapp-8080.localhost");
        EchoReply fromCloudflare = await SendForEchoAsync(viaTrusted, WithCfIp("/echo", "2001:db8::7"));
        Assert.Equal("2001:db8::7", fromCloudflare.Headers["x-forwarded-for"]);
        Assert.StartsWith("for=\"[2001:db8::7]\";proto=https;host=", fromCloudflare.Headers["forwarded"]);

        EchoReply garbage = await SendForEchoAsync(viaTrusted, WithCfIp("/echo", "not-an-ip"));
        Assert.Equal("127.0.0.1", garbage.Headers["x-forwarded-for"]);
        Assert.False(garbage.Headers.ContainsKey("cf-connecting-ip"));

        await using StandInEdge untrusted = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port, trustedPeer: false));
        using HttpClient viaUntrusted = untrusted.CreateClient();
        EchoReply spoofed = await SendForEchoAsync(viaUntrusted, WithCfIp("/echo", "203.0.113.9"));
        Assert.Equal("127.0.0.1", spoofed.Headers["x-forwarded-for"]);
        Assert.StartsWith("for=127.0.0.1;", spoofed.Headers["forwarded"]);
        Assert.False(spoofed.Headers.ContainsKey("cf-connecting-ip"));
    }

    [Fact]
    public async Task Request_id_is_generated_or_kept_when_sane_and_echoed_over_the_backends()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port));
        using HttpClient client = edge.CreateClient();

        using HttpResponseMessage generated = await client.GetAsync("/echo");
        string id = Assert.Single(generated.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", id);
        EchoReply seen = (await generated.Content.ReadFromJsonAsync<EchoReply>())!;
        Assert.Equal(id, seen.Headers["x-request-id"]);

        using HttpRequestMessage sane = new(HttpMethod.Get, "/echo");
        sane.Headers.TryAddWithoutValidation("X-Request-Id", "trace-42.abc:def");
        using HttpResponseMessage kept = await client.SendAsync(sane);
        Assert.Equal("trace-42.abc:def", Assert.Single(kept.Headers.GetValues("X-Request-Id")));
        Assert.Equal("trace-42.abc:def", (await kept.Content.ReadFromJsonAsync<EchoReply>())!.Headers["x-request-id"]);

        using HttpRequestMessage odd = new(HttpMethod.Get, "/echo");
        odd.Headers.TryAddWithoutValidation("X-Request-Id", "has spaces<script>");
        using HttpResponseMessage replaced = await client.SendAsync(odd);
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(replaced.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task HTTP2_client_is_forwarded_as_HTTP1_to_a_plain_route()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port));
        using HttpClient client = edge.CreateClient(HttpVersion.Version20);
        using HttpResponseMessage response = await client.GetAsync("/echo");
        Assert.Equal(HttpVersion.Version20, response.Version);
        EchoReply reply = (await response.Content.ReadFromJsonAsync<EchoReply>())!;
        Assert.Equal("HTTP/1.1", reply.Protocol);
        Assert.Equal("127.0.0.1", reply.Headers["x-forwarded-for"]);
    }

    [Fact]
    public async Task Http2_route_forwards_as_h2c_to_a_prior_knowledge_backend()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.H2c.Port, http2: true));
        foreach (Version version in new[] { HttpVersion.Version20, HttpVersion.Version11 })
        {
            using HttpClient client = edge.CreateClient(version, host: $"myapp-{backends.H2c.Port}g.localhost");
            using HttpResponseMessage response = await client.GetAsync("/echo");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            EchoReply reply = (await response.Content.ReadFromJsonAsync<EchoReply>())!;
            Assert.Equal("HTTP/2", reply.Protocol);
            Assert.Equal("https", reply.Headers["x-forwarded-proto"]);
        }
    }

    [Fact]
    public async Task One_MiB_response_arrives_byte_identical_over_HTTP1_and_HTTP2()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port));
        foreach (Version version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using HttpClient client = edge.CreateClient(version);
            byte[] body = await client.GetByteArrayAsync("/big");
            Assert.Equal(EchoBackend.BigSize, body.Length);
            Assert.True(EchoBackend.BigBody.AsSpan().SequenceEqual(body), "1 MiB body differs");
        }
    }

    [Fact]
    public async Task Backend_down_answers_502_json()
    {
        int closedPort = TestNode.FreePort();
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(closedPort));
        using HttpClient client = edge.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/anything");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("backend unavailable", json.RootElement.GetProperty("error").GetString());
        Assert.Equal("connect failed: connection refused", json.RootElement.GetProperty("detail").GetString());
        Assert.Single(response.Headers.GetValues("X-Request-Id"));
    }

    [Fact]
    public async Task Slow_backend_answers_504_json_after_the_activity_timeout()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port), configure: o => o.Edge.Timeouts.Idle = TimeSpan.FromSeconds(1));
        using HttpClient client = edge.CreateClient();
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage response = await client.GetAsync("/slow");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(30));
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("backend timeout", json.RootElement.GetProperty("error").GetString());
        Assert.Equal("no response activity from the backend within 1s", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Backend_connect_timeout_answers_504_json()
    {
        // A loopback listener whose accept queue is full drops further SYNs, so a connect to it hangs (no traffic leaves the host).
        using System.Net.Sockets.Socket listener = new(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        List<System.Net.Sockets.Socket> fillers = [];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                System.Net.Sockets.Socket filler = new(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(listener.LocalEndPoint!);
            }

            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(port), configure: o => o.Edge.Timeouts.Connect = TimeSpan.FromSeconds(1));
            using HttpClient client = edge.CreateClient();
            using HttpResponseMessage response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("backend timeout", json.RootElement.GetProperty("error").GetString());
            Assert.Equal("connect to the backend timed out", json.RootElement.GetProperty("detail").GetString());
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task Policy_recheck_refuses_a_port_denied_since_routing_or_a_vanished_instance()
    {
        EdgeRoute route = EdgeRoute.To(backends.Http1.Port);
        await using StandInEdge edge = await StandInEdge.StartAsync(route);
        using HttpClient client = edge.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo")).StatusCode);

        edge.Directory.Set(route.Instance with { AdminOverride = new PortPolicy([new PortRule(1)], restrictMode: true) });
        using HttpResponseMessage denied = await client.GetAsync("/echo");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using (JsonDocument json = JsonDocument.Parse(await denied.Content.ReadAsStringAsync()))
        {
            Assert.Equal("port_policy", json.RootElement.GetProperty("detail").GetString());
        }

        edge.Directory.Set();
        using HttpResponseMessage gone = await client.GetAsync("/echo");
        Assert.Equal(HttpStatusCode.Forbidden, gone.StatusCode);

        AuditEvent[] denials = edge.Audit.Events.Where(e => e.Kind == "http.deny").ToArray();
        Assert.Equal(["port_policy", "instance_gone"], denials.Select(e => e.Reason));
        Assert.All(denials, e => Assert.Equal($"{EdgeRoute.InstanceId}:{route.Port}", e.Subject));
    }

    [Fact]
    public async Task Requests_are_counted_by_status_class()
    {
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(backends.Http1.Port));
        using HttpClient client = edge.CreateClient();
        double ok = await MetricsText.ReadAsync("policygate_http_requests_total", "code_class=\"2xx\"");
        double notFound = await MetricsText.ReadAsync("policygate_http_requests_total", "code_class=\"4xx\"");
        (await client.GetAsync("/echo")).Dispose();
        (await client.GetAsync("/echo")).Dispose();
        (await client.GetAsync("/no-such-path")).Dispose();
        Assert.True(await MetricsText.ReadAsync("policygate_http_requests_total", "code_class=\"2xx\"") >= ok + 2);
        Assert.True(await MetricsText.ReadAsync("policygate_http_requests_total", "code_class=\"4xx\"") >= notFound + 1);
    }

    private static HttpRequestMessage WithCfIp(string path, string value)
    {
        HttpRequestMessage request = new(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("CF-Connecting-IP", value);
        return request;
    }

    private static async Task<EchoReply> SendForEchoAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<EchoReply>())!;
        }
    }
}
