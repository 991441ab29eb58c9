using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Egress;

public sealed class EgressProxyTests
{
    private static Task<(int, JsonNode?)> Allow(EgressTestNode node, string container, string destination, string port) =>
        node.PostAsync("/api/v1/egress/rules", new JsonObject { ["container"] = container, ["destination"] = destination, ["port"] = port }.ToJsonString());

    [Fact]
    public async Task Private_address_guard_needs_a_rule_naming_the_destination()
    {
        await using LoopbackBackend https = LoopbackBackend.Https();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        string port = https.Port.ToString();

        // localhost resolves to 127.0.0.1: a wildcard allow is not enough.
        await Allow(node, "*", "**.localhost", "*");
        Assert.Equal("global:private_address", (await node.ConnectAsync("agent-g", "localhost:" + port)).Reason);
        await Allow(node, "*", "*", port);
        Assert.Equal("global:private_address", (await node.ConnectAsync("agent-g", "127.0.0.1:" + port)).Reason);
        Assert.Equal("global:private_address", (await node.ConnectAsync("agent-g", "[::ffff:127.0.0.1]:" + port)).Reason);

        await Allow(node, "agent-g", "localhost", port);
        Curl.Result byName = await Curl.RunAsync(node.Proxy, $"https://localhost:{port}/named", "agent-g");
        Assert.EndsWith("200 200", byName.Stdout);
        await Allow(node, "agent-g", "127.0.0.0/8", "*");
        Assert.EndsWith("200 200", (await Curl.RunAsync(node.Proxy, $"https://127.0.0.1:{port}/cidr", "agent-g")).Stdout);

        // The .NET client tunnels HTTPS through CONNECT too; without credentials it is identified as unknown-<ip>.
        await Allow(node, "unknown-127.0.0.1", "localhost", port);
        using HttpClient client = new(new HttpClientHandler
        {
            Proxy = new WebProxy("http://" + node.Proxy) { BypassProxyOnLocal = false },
            UseProxy = true,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        });
        string body = await client.GetStringAsync($"https://localhost:{port}/dotnet");
        Assert.StartsWith("tls\nGET /dotnet HTTP/1.1", body);
    }

    [Fact]
    public async Task Idle_tunnels_are_reaped()
    {
        await using LoopbackBackend echo = LoopbackBackend.Echo();
        await using EgressTestNode node = await EgressTestNode.StartAsync(idle: TimeSpan.FromSeconds(1));
        await Allow(node, "agent-i", "127.0.0.1", echo.Port.ToString());
        using TcpClient client = new();
        await client.ConnectAsync(node.ProxyEndPoint);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:{echo.Port} HTTP/1.1\r\nProxy-Authorization: Basic {EgressTestNode.Basic("agent-i")}\r\n\r\n"));
        byte[] head = new byte["HTTP/1.1 200 Connection established\r\n\r\n".Length];
        await stream.ReadExactlyAsync(head);
        Stopwatch idle = Stopwatch.StartNew();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
        int read;
        try
        {
            read = await stream.ReadAsync(new byte[16], timeout.Token);
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        Assert.InRange(idle.Elapsed.TotalSeconds, 0.5, 25);
    }

    [Fact]
    public async Task Builtin_loopback_allows_loopback_but_never_our_own_listeners()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync(builtinLoopback: true);
        Assert.EndsWith("000 200", (await Curl.RunAsync(node.Proxy, $"http://localhost:{http.Port}/", null)).Stdout);
        ProxyResponse self = await node.ConnectAsync("agent-s", node.Node.Options.Admin.Listen);
        Assert.Equal((403, "builtin:self"), (self.Status, self.Reason));
        Assert.Equal("builtin:self", (await node.ConnectAsync("agent-s", node.Proxy)).Reason);
        Assert.Contains(node.Audit.Events, e => e.Kind == "egress.deny" && e.Subject == "agent-s" && e.Reason == "builtin:self");
    }

    [Fact]
    public async Task Absolute_form_is_forwarded_in_origin_form_without_hop_by_hop_headers()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        await Allow(node, "agent-h", "127.0.0.1", http.Port.ToString());
        Curl.Result result = await Curl.RunAsync(node.Proxy, $"http://127.0.0.1:{http.Port}/path?q=1", "agent-h", "\n%{http_code}",
            "-H", "Connection: X-Secret", "-H", "X-Secret: 1", "-H", "X-Kept: yes", "-H", "Proxy-Connection: keep-alive");
        string[] lines = result.Stdout.Split("\r\n");
        Assert.Equal("plain\nGET /path?q=1 HTTP/1.1", lines[0]);
        Assert.Contains($"Host: 127.0.0.1:{http.Port}", lines);
        Assert.Contains("X-Kept: yes", lines);
        Assert.Contains("Connection: close", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("X-Secret", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase));
        Assert.EndsWith("\n200", result.Stdout);

        // The .NET client through the same proxy (loopback not bypassed).
        using HttpClient client = new(new HttpClientHandler
        {
            Proxy = new WebProxy("http://" + node.Proxy) { BypassProxyOnLocal = false },
            UseProxy = true,
        });
        HttpResponseMessage denied = await client.GetAsync($"http://127.0.0.1:{http.Port + 1}/");
        Assert.Equal((HttpStatusCode.Forbidden, "host not in allowlist (policygate egress policy)"),
            (denied.StatusCode, await denied.Content.ReadAsStringAsync()));
        Assert.Equal("default:strict", denied.Headers.GetValues("X-PolicyGate-Reason").Single());
    }

    [Fact]
    public async Task Tunnel_carries_16_MiB_byte_identical_both_ways()
    {
        await using LoopbackBackend echo = LoopbackBackend.Echo();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        await Allow(node, "agent-t", "127.0.0.1", echo.Port.ToString());
        using TcpClient client = new();
        await client.ConnectAsync(node.ProxyEndPoint);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"CONNECT 127.0.0.1:{echo.Port} HTTP/1.1\r\nProxy-Authorization: Basic {EgressTestNode.Basic("agent-t")}\r\n\r\n"));
        byte[] expectedHead = Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection established\r\n\r\n");
        byte[] head = new byte[expectedHead.Length];
        await stream.ReadExactlyAsync(head);
        Assert.Equal(expectedHead, head);

        byte[] payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        Task send = Task.Run(async () =>
        {
            await stream.WriteAsync(payload, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        using MemoryStream received = new();
        await stream.CopyToAsync(received, timeout.Token);
        await send;
        Assert.Equal(payload.Length, received.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public async Task Unresolvable_unreachable_and_metrics()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        await Allow(node, "agent-r", "nonexistent.invalid", "*");
        ProxyResponse unresolvable = await node.ConnectAsync("agent-r", "nonexistent.invalid:443");
        Assert.Equal((502, "cannot resolve nonexistent.invalid"), (unresolvable.Status, unresolvable.Body));
        int closedPort = PolicyGate.Tests.Infrastructure.TestNode.FreePort();
        await Allow(node, "agent-r", "127.0.0.1", closedPort.ToString());
        ProxyResponse unreachable = await node.ConnectAsync("agent-r", "127.0.0.1:" + closedPort);
        Assert.Equal((502, $"cannot connect to 127.0.0.1:{closedPort}: ConnectionRefused"), (unreachable.Status, unreachable.Body));

        using MemoryStream metrics = new();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(metrics);
        string text = Encoding.UTF8.GetString(metrics.ToArray());
        Assert.Contains("policygate_egress_decisions_total{layer=\"global\",action=\"allow\"}", text);
    }

    [Fact]
    public async Task Connect_timeout_answers_504()
    {
        // A loopback listener whose accept queue is full drops further SYNs, so a connect to it hangs until the timeout.
        using Socket full = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(1);
        int port = ((IPEndPoint)full.LocalEndPoint!).Port;
        List<Socket> fillers = [];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                Socket filler = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using CancellationTokenSource quick = new(TimeSpan.FromMilliseconds(300));
                try
                {
                    await filler.ConnectAsync(full.LocalEndPoint!, quick.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await using EgressTestNode node = await EgressTestNode.StartAsync(connect: TimeSpan.FromSeconds(1));
            await Allow(node, "agent-o", "127.0.0.1", port.ToString());
            ProxyResponse response = await node.ConnectAsync("agent-o", "127.0.0.1:" + port);
            Assert.Equal((504, $"connect to 127.0.0.1:{port} timed out"), (response.Status, response.Body));
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Theory]
    [InlineData("CONNECT host:99999 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:99999': port 99999 out of range")]
    [InlineData("CONNECT host:0 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:0': port 0 out of range")]
    [InlineData("CONNECT host:443x HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:443x': port '443x' is not a number in 1..65535")]
    [InlineData("CONNECT\r\n\r\n", 400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)")]
    [InlineData("CONNECT a b c d\r\n\r\n", 400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)")]
    [InlineData("GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", 400, "only CONNECT host:port and absolute-form http:// requests are proxied")]
    [InlineData("CONNECT host:443 HTTP/1.1\r\nbroken header\r\n\r\n", 400, "malformed header line")]
    public async Task Bad_requests_get_precise_errors(string request, int status, string message)
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        ProxyResponse response = await node.RawAsync(request);
        Assert.Equal((status, message), (response.Status, response.Body));
        Assert.Empty(node.Audit.Events);
        Assert.Empty((JsonArray)(await node.GetAsync("/api/v1/egress/pending")).Body!["pending"]!);
    }

    [Fact]
    public async Task Huge_heads_are_refused()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        ProxyResponse headers = await node.RawAsync("CONNECT a.test:443 HTTP/1.1\r\nX-Big: " + new string('a', 20_000) + "\r\n\r\n");
        Assert.Equal((431, "request header too large"), (headers.Status, headers.Body));
        ProxyResponse line = await node.RawAsync("CONNECT " + new string('a', 10_000) + ":443 HTTP/1.1\r\n\r\n");
        Assert.Equal((414, "request line too long"), (line.Status, line.Body));
        ProxyResponse curl = await node.RawAsync("GET http://a.test/ HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X-A: b\r\n", 101)) + "\r\n");
        Assert.Equal((431, "more than 100 header lines"), (curl.Status, curl.Body));
    }
}
