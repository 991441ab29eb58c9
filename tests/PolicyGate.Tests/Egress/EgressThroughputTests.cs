using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace PolicyGate.Tests.Egress;

public sealed class EgressThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Measures_connect_tunnels_per_second_with_10000_rules()
    {
        await using LoopbackBackend echo = LoopbackBackend.Echo();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        // 10,000 rules in the store (one session's worth at a time is capped at 1000, so ten sessions of other containers).
        for (int s = 0; s < 10; s++)
        {
            JsonArray rules = new(Enumerable.Range(0, 1000)
                .Select(i => (JsonNode?)new JsonObject { ["destination"] = $"h{s}-{i}.example.test", ["port"] = "443" }).ToArray());
            (int status, _) = await node.PostAsync("/api/v1/sessions",
                new JsonObject { ["session_id"] = "bulk" + s, ["container"] = "bulk" + s, ["network_rules"] = rules, ["ttl_seconds"] = 3600 }.ToJsonString());
            Assert.Equal(200, status);
        }

        await node.PostAsync("/api/v1/egress/rules", new JsonObject { ["container"] = "bench", ["destination"] = "127.0.0.1", ["port"] = echo.Port.ToString() }.ToJsonString());
        byte[] connect = Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:{echo.Port} HTTP/1.1\r\nProxy-Authorization: Basic {EgressTestNode.Basic("bench")}\r\n\r\n");
        int established = "HTTP/1.1 200 Connection established\r\n\r\n".Length;
        byte[] ping = "ping-pong-16-byt"u8.ToArray();
        int count = 0;
        Stopwatch clock = Stopwatch.StartNew();
        TimeSpan duration = TimeSpan.FromSeconds(3);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            byte[] buffer = new byte[established + ping.Length];
            while (clock.Elapsed < duration)
            {
                using TcpClient client = new();
                await client.ConnectAsync(node.ProxyEndPoint);
                NetworkStream stream = client.GetStream();
                await stream.WriteAsync(connect);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, established));
                await stream.WriteAsync(ping);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, ping.Length));
                Assert.Equal(ping, buffer[..ping.Length]);
                Interlocked.Increment(ref count);
            }
        })));
        double rate = count / clock.Elapsed.TotalSeconds;
        output.WriteLine($"CONNECT tunnels (open, 16-byte echo, close) with 10,000 rules stored: {rate:F0}/s over {clock.Elapsed.TotalSeconds:F1} s, 8 clients");
        Assert.True(rate > 20, $"only {rate:F1} tunnels/s");
    }
}
