using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Cli;
using PolicyGate.Configuration;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.AccessLog;

/// <summary>Every edge HTTP request and every TCP/TLS connection leaves one JSON line in &lt;data_dir&gt;/access.log (docs/operations.md).</summary>
public sealed class AccessLogTests
{
    [Fact]
    public async Task Http_request_passthrough_connection_and_denials_each_leave_one_line()
    {
        DemoOptions demo = new(TestNode.FreePort(), TestNode.FreePort());
        await using LoopbackBackend tlsBackend = TlsEchoBackend.Start();
        await using TestNode node = await TestNode.StartAsync(TestNode.CreateOptions(o => o.Demo = true), services => services.AddSingleton(demo));
        Assert.True(await node.Service<DemoHostedService>().Registered.WaitAsync(TimeSpan.FromSeconds(30)));
        HttpResponseMessage registered = await node.Admin.PostAsync("/api/v1/instances", new StringContent(
            $$$"""{"instance_id":"tls1","app_id":"tls","address":"127.0.0.1","port_policy":{"ports":[{"port":{{{tlsBackend.Port}}}}],"restrict_mode":true}}"""));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        IPEndPoint edge = node.EdgeEndPoint;
        string http = $"demo-{demo.HttpPort}.localhost";

        using HttpClient client = EdgeHttpClient(edge);
        HttpResponseMessage ok = await client.GetAsync($"https://{http}:{edge.Port}/?q=1");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        long okBody = (await ok.Content.ReadAsByteArrayAsync()).Length;
        HttpResponseMessage blocked = await client.GetAsync($"https://{http}:{edge.Port}/pii");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);

        await using (EdgeClient passthrough = await EdgeClient.ConnectAsync(edge, $"tls1-{tlsBackend.Port}s.localhost"))
        {
            (byte[] sent, byte[] received, _) = await EdgeClient.EchoAsync(passthrough.Ssl, 1000);
            Assert.Equal(sent, received);
        }

        (bool handshake, long answered) = await EdgeClient.TryHandshakeAsync(edge, "demo-22.localhost");
        Assert.False(handshake);
        Assert.Equal(0, answered);

        string path = Path.Combine(node.DataDir, "access.log");
        List<JsonElement> lines = await WaitForLinesAsync(path, l =>
            l.Count(e => e.GetProperty("kind").GetString() == "http") >= 2
            && l.Any(e => e.TryGetProperty("mode", out JsonElement m) && m.GetString() == "passthrough")
            && l.Any(e => e.TryGetProperty("reason", out JsonElement r) && r.GetString() == "port_policy"));

        JsonElement get = lines.Single(e => e.GetProperty("kind").GetString() == "http" && e.GetProperty("path").GetString() == "/");
        Assert.Equal("GET", get.GetProperty("method").GetString());
        Assert.Equal(200, get.GetProperty("status").GetInt32());
        Assert.Equal("ok", get.GetProperty("outcome").GetString());
        Assert.Equal("pass", get.GetProperty("verdict").GetString());
        Assert.Equal("demo1", get.GetProperty("instance").GetString());
        Assert.Equal(demo.HttpPort, get.GetProperty("port").GetInt32());
        Assert.Equal(http, get.GetProperty("sni").GetString());
        Assert.StartsWith("127.0.0.1:", get.GetProperty("client").GetString(), StringComparison.Ordinal);
        Assert.Equal(okBody, get.GetProperty("bytes_out").GetInt64());
        Assert.Equal(ok.Headers.GetValues("X-Request-Id").Single(), get.GetProperty("request_id").GetString());
        Assert.True(get.GetProperty("duration_ms").GetDouble() >= 0);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", get.GetProperty("ts").GetString()!);

        JsonElement block = lines.Single(e => e.GetProperty("kind").GetString() == "http" && e.GetProperty("path").GetString() == "/pii");
        Assert.Equal(403, block.GetProperty("status").GetInt32());
        Assert.StartsWith("blocked:", block.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        Assert.Equal(get.GetProperty("conn").GetString(), block.GetProperty("conn").GetString()); // one keep-alive connection, two requests

        JsonElement relay = lines.Single(e => e.TryGetProperty("mode", out JsonElement m) && m.GetString() == "passthrough");
        Assert.Equal("connection", relay.GetProperty("kind").GetString());
        Assert.Equal("tls1", relay.GetProperty("instance").GetString());
        Assert.Equal("ok", relay.GetProperty("outcome").GetString());
        Assert.True(relay.GetProperty("bytes_in").GetInt64() > 1000, relay.ToString()); // ClientHello + records of 1000 bytes
        Assert.True(relay.GetProperty("bytes_out").GetInt64() > 1000, relay.ToString());

        JsonElement denied = lines.Single(e => e.TryGetProperty("reason", out JsonElement r) && r.GetString() == "port_policy");
        Assert.Equal("denied", denied.GetProperty("outcome").GetString());
        Assert.Equal("demo-22.localhost", denied.GetProperty("sni").GetString());
        Assert.Equal(22, denied.GetProperty("port").GetInt32());
        Assert.False(denied.TryGetProperty("bytes_out", out _));
    }

    [Fact]
    public async Task Disabled_access_log_writes_nothing_and_stdout_path_is_accepted_by_the_config()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.AccessLog.Enabled = false);
        (bool handshake, _) = await EdgeClient.TryHandshakeAsync(node.EdgeEndPoint, "nobody.localhost");
        Assert.False(handshake);
        await Task.Delay(300);
        Assert.False(File.Exists(Path.Combine(node.DataDir, "access.log")));

        PolicyGateOptions parsed = ConfigLoader.LoadText("[access_log]\npath = \"-\"\nqueue_size = 128\n", "t.toml", Path.GetTempPath());
        Assert.Equal("-", parsed.AccessLog.Path);
        ConfigException bad = Assert.Throws<ConfigException>(
            () => ConfigLoader.LoadText("[access_log]\nqueue_size = 1\n", "t.toml", Path.GetTempPath()));
        Assert.StartsWith("t.toml:2: access_log.queue_size:", bad.Message, StringComparison.Ordinal);
    }

    private static HttpClient EdgeHttpClient(IPEndPoint edge) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(edge, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    });

    private static async Task<List<JsonElement>> WaitForLinesAsync(string path, Func<List<JsonElement>, bool> done)
    {
        List<JsonElement> lines = [];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(path))
            {
                string text;
                using (FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                using (StreamReader reader = new(stream, Encoding.UTF8))
                {
                    text = await reader.ReadToEndAsync();
                }

                lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
                if (done(lines))
                {
                    return lines;
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"access log {path} did not get the expected lines within 10 s:\n" + string.Join('\n', lines));
        return lines;
    }
}
