using System.Net;
using System.Text.RegularExpressions;

namespace PolicyGate.Tests.Http;

/// <summary>
/// pp = true ports (DESIGN §6): every backend connection belongs to one client connection and starts with that client's PROXY
/// header, checked against a real nginx `proxy_protocol` listener. The edge is the stand-in (<see cref="StandInEdge"/>).
/// </summary>
public sealed partial class ProxyProtocolForwardingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Two_concurrent_clients_each_get_their_own_backend_connection_and_PROXY_header(int proxyHeaderVersion)
    {
        using NginxProxyProtocolBackend nginx = await NginxProxyProtocolBackend.StartAsync();
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(nginx.Port, pp: true, proxyHeaderVersion: proxyHeaderVersion));
        IPEndPoint? localA = null;
        IPEndPoint? localB = null;
        using HttpClient clientA = edge.CreateClient(onConnected: ep => localA = ep, maxConnections: 1);
        using HttpClient clientB = edge.CreateClient(onConnected: ep => localB = ep, maxConnections: 1);

        // Interleave both clients' requests so the two client connections are live at the same time.
        Task<string[]> a = SendSeveralAsync(clientA, "a");
        Task<string[]> b = SendSeveralAsync(clientB, "b");
        string[][] replies = await Task.WhenAll(a, b);

        (string addrA, string connA) = SingleOrigin(replies[0]);
        (string addrB, string connB) = SingleOrigin(replies[1]);
        Assert.Equal($"127.0.0.1:{localA!.Port}", addrA);
        Assert.Equal($"127.0.0.1:{localB!.Port}", addrB);
        Assert.NotEqual(connA, connB);

        string[] log = await WaitForLogLinesAsync(nginx, 2 * Rounds);
        Assert.Equal(Rounds, log.Count(l => l.StartsWith($"127.0.0.1:{localA.Port} {connA} /a/", StringComparison.Ordinal)));
        Assert.Equal(Rounds, log.Count(l => l.StartsWith($"127.0.0.1:{localB.Port} {connB} /b/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HTTP2_client_streams_of_one_connection_carry_that_clients_header()
    {
        using NginxProxyProtocolBackend nginx = await NginxProxyProtocolBackend.StartAsync();
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(nginx.Port, pp: true));
        IPEndPoint? local = null;
        using HttpClient client = edge.CreateClient(HttpVersion.Version20, onConnected: ep => local = ep, maxConnections: 1);
        string[] replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.GetStringAsync($"/h2/{i}")));
        Assert.All(replies, r => Assert.StartsWith($"127.0.0.1:{local!.Port} ", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http2_route_with_pp_speaks_h2c_after_the_PROXY_header()
    {
        using NginxProxyProtocolBackend nginx = await NginxProxyProtocolBackend.StartAsync();
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(nginx.H2cPort, pp: true, http2: true));
        IPEndPoint? local = null;
        using HttpClient client = edge.CreateClient(HttpVersion.Version20, host: $"myapp-{nginx.H2cPort}g.localhost", onConnected: ep => local = ep, maxConnections: 1);
        string[] replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.GetStringAsync($"/g/{i}")));
        // Concurrent first requests may make the handler open a second h2c connection; each one still belongs to
        // this client connection and starts with its PROXY header.
        foreach (string reply in replies)
        {
            string[] parts = reply.Trim().Split(' ');
            Assert.Equal($"127.0.0.1:{local!.Port}", parts[0]);
            Assert.Equal("HTTP/2.0", parts[2]);
        }
    }

    [Fact]
    public async Task Closing_the_client_connection_closes_its_backend_connection()
    {
        using NginxProxyProtocolBackend nginx = await NginxProxyProtocolBackend.StartAsync();
        await using StandInEdge edge = await StandInEdge.StartAsync(EdgeRoute.To(nginx.Port, pp: true));
        using (HttpClient first = edge.CreateClient(maxConnections: 1))
        {
            Assert.StartsWith("127.0.0.1:", await first.GetStringAsync("/first"));
        }

        using HttpClient observer = edge.CreateClient(maxConnections: 1);
        int active = -1;
        for (int attempt = 0; attempt < 300 && active != 1; attempt++)
        {
            string status = await observer.GetStringAsync("/status");
            active = int.Parse(ActiveConnections().Match(status).Groups[1].Value);
            if (active != 1)
            {
                await Task.Delay(100);
            }
        }

        // Only the observer's own backend connection is left: the first client's pooled one was disposed with its connection.
        Assert.Equal(1, active);
    }

    private const int Rounds = 4;

    private static async Task<string[]> SendSeveralAsync(HttpClient client, string name)
    {
        string[] replies = new string[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            replies[i] = (await client.GetStringAsync($"/{name}/{i}")).Trim();
            await Task.Yield();
        }

        return replies;
    }

    private static (string Address, string Connection) SingleOrigin(string[] replies)
    {
        string first = Assert.Single(replies.Distinct());
        string[] parts = first.Split(' ');
        return (parts[0], parts[1]);
    }

    private static async Task<string[]> WaitForLogLinesAsync(NginxProxyProtocolBackend nginx, int count)
    {
        string[] lines = [];
        for (int attempt = 0; attempt < 400 && lines.Length < count; attempt++)
        {
            lines = nginx.AccessLogLines();
            if (lines.Length < count)
            {
                await Task.Delay(50);
            }
        }

        return lines;
    }

    [GeneratedRegex(@"Active connections:\s*(\d+)")]
    private static partial Regex ActiveConnections();
}
