using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Operations;

/// <summary>
/// Issue 17: each reloadable key group changed in the file and reloaded (SIGHUP and the API) changes what traffic sees,
/// while connections accepted before the reload stay up; a restart-only key is reported and changes nothing.
/// </summary>
public sealed class ReloadTrafficTests
{
    private static readonly TimeSpan s_closeWithin = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(ReloadingNode.Api)]
    [InlineData(ReloadingNode.Sighup)]
    public async Task New_idle_timeout_reaps_new_connections_and_keeps_the_open_one(string trigger)
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using ReloadingNode node = await ReloadingNode.StartAsync(new Dictionary<string, string> { ["edge.timeouts.idle"] = "\"10m\"" });
        await node.RegisterAsync("idle", backend.Port, "tcp");
        string sni = $"idle-{backend.Port}.localhost";
        await using EdgeClient before = await EdgeClient.ConnectAsync(node.Edge, sni);
        await AssertEchoAsync(before);

        Assert.Empty(await node.ReloadAsync(trigger, new Dictionary<string, string> { ["edge.timeouts.idle"] = "\"1s\"" }));

        await using EdgeClient after = await EdgeClient.ConnectAsync(node.Edge, sni);
        await AssertEchoAsync(after);
        Stopwatch idle = Stopwatch.StartNew();
        Assert.True(await ClosedAsync(after), "a connection accepted after the reload was not reaped at the new idle timeout");
        Assert.InRange(idle.Elapsed.TotalSeconds, 0.5, s_closeWithin.TotalSeconds);
        await AssertEchoAsync(before); // idle for longer than the new timeout, but accepted under the old one
    }

    [Theory]
    [InlineData(ReloadingNode.Api)]
    [InlineData(ReloadingNode.Sighup)]
    public async Task New_trusted_proxy_may_send_a_PROXY_header(string trigger)
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using ReloadingNode node = await ReloadingNode.StartAsync(new Dictionary<string, string>
        {
            ["edge.inbound_proxy_protocol"] = "true",
            ["edge.trusted_proxies"] = "[\"10.9.0.0/16\"]",
        });
        await node.RegisterAsync("pp", backend.Port, "tcp");
        string sni = $"pp-{backend.Port}.localhost";
        byte[] header = Encoding.ASCII.GetBytes($"PROXY TCP4 203.0.113.7 127.0.0.1 40000 {node.Edge.Port}\r\n");

        // 127.0.0.1 is not trusted yet: it connects without a header, and a header from it is refused.
        await using EdgeClient untrusted = await EdgeClient.ConnectAsync(node.Edge, sni);
        await AssertEchoAsync(untrusted);
        Assert.False(await CanConnectAsync(node.Edge, sni, header));

        Assert.Empty(await node.ReloadAsync(trigger, new Dictionary<string, string> { ["edge.trusted_proxies"] = "[\"127.0.0.1/32\"]" }));

        await using EdgeClient proxied = await EdgeClient.ConnectAsync(node.Edge, sni, preamble: header);
        await AssertEchoAsync(proxied);
        Assert.False(await CanConnectAsync(node.Edge, sni, preamble: null)); // a trusted peer must now send the header
        await AssertEchoAsync(untrusted);
    }

    [Theory]
    [InlineData(ReloadingNode.Api)]
    [InlineData(ReloadingNode.Sighup)]
    public async Task New_max_connections_per_app_is_enforced(string trigger)
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using ReloadingNode node = await ReloadingNode.StartAsync(new Dictionary<string, string> { ["edge.max_connections_per_app"] = "1" });
        await node.RegisterAsync("lim", backend.Port, "tcp");
        string sni = $"lim-{backend.Port}.localhost";
        await using EdgeClient first = await EdgeClient.ConnectAsync(node.Edge, sni);
        await AssertEchoAsync(first);
        Assert.False(await CanConnectAsync(node.Edge, sni));

        Assert.Empty(await node.ReloadAsync(trigger, new Dictionary<string, string> { ["edge.max_connections_per_app"] = "2" }));

        await using EdgeClient second = await EdgeClient.ConnectAsync(node.Edge, sni);
        await AssertEchoAsync(second);
        Assert.False(await CanConnectAsync(node.Edge, sni));
        await AssertEchoAsync(first);
    }

    [Theory]
    [InlineData(ReloadingNode.Api)]
    [InlineData(ReloadingNode.Sighup)]
    public async Task New_hold_bytes_turns_a_held_response_into_a_streamed_one(string trigger)
    {
        await using GatedHttpBackend backend = new();
        await using ReloadingNode node = await ReloadingNode.StartAsync(new Dictionary<string, string> { ["inspection.hold_bytes"] = "\"64KiB\"" });
        await node.RegisterAsync("hold", backend.Port, "http");
        Uri url = new($"https://hold-{backend.Port}.localhost/");

        // 64 KiB: the 4 KiB the backend sent before pausing are held, so not even the headers reach the client.
        using (HttpClient held = EdgeHttp(node.Edge))
        {
            Task<HttpResponseMessage> response = held.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(await backend.FirstPartSentAsync());
            Assert.NotSame(response, await Task.WhenAny(response, Task.Delay(TimeSpan.FromSeconds(3))));
            backend.Release();
            using HttpResponseMessage whole = await response.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(GatedHttpBackend.Body, await whole.Content.ReadAsStringAsync());
        }

        Assert.Empty(await node.ReloadAsync(trigger, new Dictionary<string, string> { ["inspection.hold_bytes"] = "\"1KiB\"" }));

        // 1 KiB: past the hold window the scanned bytes stream while the backend is still paused.
        using HttpClient streamed = EdgeHttp(node.Edge);
        Task<HttpResponseMessage> started = streamed.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(await backend.FirstPartSentAsync());
        using HttpResponseMessage head = await started.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        await using Stream body = await head.Content.ReadAsStreamAsync();
        byte[] first = new byte[512];
        await body.ReadExactlyAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(GatedHttpBackend.Body[..512], Encoding.ASCII.GetString(first));
        backend.Release();
        using StreamReader rest = new(body);
        Assert.Equal(GatedHttpBackend.Body[512..], await rest.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(ReloadingNode.Api)]
    [InlineData(ReloadingNode.Sighup)]
    public async Task New_base_domain_is_routed_and_the_old_one_refused(string trigger)
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using ReloadingNode node = await ReloadingNode.StartAsync(new Dictionary<string, string> { ["edge.base_domain"] = "\"one.test\"" });
        await node.RegisterAsync("bd", backend.Port, "tcp");
        string oldName = $"bd-{backend.Port}.one.test";
        string newName = $"bd-{backend.Port}.two.test";
        await using EdgeClient before = await EdgeClient.ConnectAsync(node.Edge, oldName);
        await AssertEchoAsync(before);
        Assert.False(await CanConnectAsync(node.Edge, newName));

        Assert.Empty(await node.ReloadAsync(trigger, new Dictionary<string, string> { ["edge.base_domain"] = "\"two.test\"" }));

        await using EdgeClient after = await EdgeClient.ConnectAsync(node.Edge, newName);
        await AssertEchoAsync(after);
        Assert.False(await CanConnectAsync(node.Edge, oldName));
        await AssertEchoAsync(before);
    }

    [Theory]
    [InlineData(ReloadingNode.Api)]
    [InlineData(ReloadingNode.Sighup)]
    public async Task Restart_only_key_is_named_and_changes_nothing(string trigger)
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using ReloadingNode node = await ReloadingNode.StartAsync(new Dictionary<string, string>());
        await node.RegisterAsync("ro", backend.Port, "tcp");
        string sni = $"ro-{backend.Port}.localhost";
        await using EdgeClient before = await EdgeClient.ConnectAsync(node.Edge, sni);
        int moved = Infrastructure.TestNode.FreePort();

        IReadOnlyList<string> kept = await node.ReloadAsync(trigger, new Dictionary<string, string> { ["edge.listen"] = $"[\"127.0.0.1:{moved}\"]" });

        Assert.Equal(["edge.listen"], kept);
        Assert.Contains("edge.listen changed but is restart-only", node.Stdout, StringComparison.Ordinal);
        await AssertEchoAsync(before);
        await using (EdgeClient still = await EdgeClient.ConnectAsync(node.Edge, sni))
        {
            await AssertEchoAsync(still);
        }

        using Socket probe = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, moved)));
    }

    private static async Task AssertEchoAsync(EdgeClient client)
    {
        (byte[] sent, byte[] received, long count) = await EdgeClient.EchoAsync(client.Ssl, 2000, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(2000, count);
        Assert.Equal(sent, received);
    }

    private static async Task<bool> CanConnectAsync(IPEndPoint edge, string sni, byte[]? preamble = null)
    {
        try
        {
            await using EdgeClient client = await EdgeClient.ConnectAsync(edge, sni, preamble: preamble);
            (_, _, long count) = await EdgeClient.EchoAsync(client.Ssl, 100, timeout: TimeSpan.FromSeconds(10));
            return count == 100;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> ClosedAsync(EdgeClient client)
    {
        try
        {
            (_, bool eof) = await EdgeClient.ReadToEndAsync(client.Ssl, s_closeWithin);
            return eof;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static HttpClient EdgeHttp(IPEndPoint edge) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(edge, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = TimeSpan.FromSeconds(60) };
}
