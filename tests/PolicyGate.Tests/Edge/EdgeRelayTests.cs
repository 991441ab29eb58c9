using System.Net.Sockets;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Edge;

/// <summary>DESIGN §4.5–4.7 over real sockets: passthrough (`s`) and terminated `tcp` carry bytes exactly, half-close, idle reaping.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeRelayTests
{
    public enum Mode
    {
        Passthrough,
        TerminatedTcp,
    }

    [Theory]
    [InlineData(Mode.Passthrough, 1024)]
    [InlineData(Mode.Passthrough, 64 * 1024 * 1024)]
    [InlineData(Mode.TerminatedTcp, 1024)]
    [InlineData(Mode.TerminatedTcp, 64 * 1024 * 1024)]
    public async Task Bytes_arrive_identical_in_both_directions(Mode mode, int size)
    {
        await using Route route = await Route.StartAsync(mode);
        string label = mode == Mode.Passthrough ? "passthrough" : "tcp";
        double okBefore = await MetricsText.ValueAsync($"policygate_edge_connections_total{{mode=\"{label}\",outcome=\"ok\"}}");
        await using EdgeClient client = await route.ConnectAsync();

        (byte[] sent, byte[] received, long count) = await EdgeClient.EchoAsync(client.Ssl, size, timeout: TimeSpan.FromSeconds(90));

        Assert.Equal(size, count);
        Assert.Equal(Convert.ToHexString(sent), Convert.ToHexString(received));
        route.AssertServedBy(client);
        Assert.True(await MetricsText.ValueAsync($"policygate_edge_connections_total{{mode=\"{label}\",outcome=\"ok\"}}") > okBefore);
        Assert.True(await MetricsText.ValueAsync($"policygate_edge_active_connections{{mode=\"{label}\"}}") >= 1);
    }

    [Theory]
    [InlineData(Mode.Passthrough)]
    [InlineData(Mode.TerminatedTcp)]
    public async Task Shutdown_drains_live_relays_within_the_shutdown_timeout(Mode mode)
    {
        Route route = await Route.StartAsync(mode, o => o.Edge.Timeouts.Shutdown = TimeSpan.FromSeconds(1));
        await using EdgeClient client = await route.ConnectAsync();
        (byte[] sent, byte[] received, _) = await EdgeClient.EchoAsync(client.Ssl, 1000);
        Assert.Equal(sent, received);

        System.Diagnostics.Stopwatch stopping = System.Diagnostics.Stopwatch.StartNew();
        await route.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"shutdown took {stopping.Elapsed}");
        (_, bool eof) = await ReadUntilClosedAsync(client, TimeSpan.FromSeconds(5));
        Assert.True(eof);
    }

    [Theory]
    [InlineData(Mode.Passthrough)]
    [InlineData(Mode.TerminatedTcp)]
    public async Task Sixty_four_concurrent_connections_stay_intact(Mode mode)
    {
        await using Route route = await Route.StartAsync(mode);
        Task[] all = Enumerable.Range(0, 64).Select(async _ =>
        {
            await using EdgeClient client = await route.ConnectAsync();
            (byte[] sent, byte[] received, long count) = await EdgeClient.EchoAsync(client.Ssl, 256 * 1024, timeout: TimeSpan.FromSeconds(90));
            Assert.Equal(256 * 1024, count);
            Assert.Equal(sent, received);
        }).ToArray();
        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(120));
    }

    [Theory]
    [InlineData(Mode.Passthrough)]
    [InlineData(Mode.TerminatedTcp)]
    public async Task Half_close_still_delivers_the_full_reply(Mode mode)
    {
        await using Route route = await Route.StartAsync(mode);
        await using EdgeClient client = await route.ConnectAsync();

        // The client stops sending (close_notify + FIN) and then reads until EOF: the echo must be complete.
        (byte[] sent, byte[] received, long count) = await EdgeClient.EchoAsync(client.Ssl, 3 * 1024 * 1024, async () =>
        {
            await client.Ssl.ShutdownAsync();
            client.Socket.Shutdown(SocketShutdown.Send);
        });

        Assert.Equal(3 * 1024 * 1024, count);
        Assert.Equal(sent, received);
    }

    [Theory]
    [InlineData(Mode.Passthrough)]
    [InlineData(Mode.TerminatedTcp)]
    public async Task Idle_connections_are_reaped(Mode mode)
    {
        await using Route route = await Route.StartAsync(mode, o => o.Edge.Timeouts.Idle = TimeSpan.FromSeconds(1));
        await using EdgeClient client = await route.ConnectAsync();
        (byte[] sent, byte[] received, _) = await EdgeClient.EchoAsync(client.Ssl, 1000);
        Assert.Equal(sent, received);

        DateTime started = DateTime.UtcNow;
        (byte[] rest, bool eof) = await ReadUntilClosedAsync(client, TimeSpan.FromSeconds(15));

        Assert.True(eof, "the idle connection was not closed");
        Assert.Empty(rest);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.5, 10);
    }

    [Fact]
    public async Task Busy_connections_are_reaped_at_the_total_timeout()
    {
        await using Route route = await Route.StartAsync(Mode.Passthrough, o => o.Edge.Timeouts.Total = TimeSpan.FromSeconds(2));
        await using EdgeClient client = await route.ConnectAsync();
        System.Diagnostics.Stopwatch alive = System.Diagnostics.Stopwatch.StartNew();
        byte[] ping = new byte[100];
        try
        {
            // Traffic every 100 ms (never idle) until the edge cuts the connection; bounded at 15 s.
            while (alive.Elapsed < TimeSpan.FromSeconds(15))
            {
                await client.Ssl.WriteAsync(ping);
                await client.Ssl.ReadExactlyAsync(ping);
                await Task.Delay(100);
            }
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
        }

        Assert.InRange(alive.Elapsed.TotalSeconds, 1.5, 10);
    }

    [Fact]
    public async Task Candidates_are_raced_and_the_first_that_connects_wins()
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using EdgeNode node = await EdgeNode.StartAsync();
        PortPolicy policy = EdgeNode.Only(new PortRule(backend.Port, Protocol: "tcp"));
        await node.RegisterAsync("reachable", "race", policy);
        await Task.Delay(50);
        // The newest instance's address has nothing listening (the backend binds 127.0.0.1 only): its connect is refused.
        await node.RegisterAsync("refusing", "race", policy, address: "127.0.0.2");

        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, $"race-{backend.Port}.localhost");
        (byte[] sent, byte[] received, _) = await EdgeClient.EchoAsync(client.Ssl, 5000);

        Assert.Equal(sent, received);
        Assert.Equal(1, backend.Accepted);
    }

    private static async Task<(byte[] Data, bool Eof)> ReadUntilClosedAsync(EdgeClient client, TimeSpan timeout)
    {
        try
        {
            return await EdgeClient.ReadToEndAsync(client.Ssl, timeout);
        }
        catch (IOException)
        {
            return ([], true); // closed without close_notify (passthrough: the backend's TLS session is cut)
        }
    }

    /// <summary>A node plus the backend behind one route of the given mode.</summary>
    private sealed class Route : IAsyncDisposable
    {
        private Route(Mode mode, LoopbackBackend backend, EdgeNode node)
        {
            RouteMode = mode;
            Backend = backend;
            Node = node;
        }

        public Mode RouteMode { get; }
        public LoopbackBackend Backend { get; }
        public EdgeNode Node { get; }

        public string Sni => RouteMode == Mode.Passthrough ? $"relay-{Backend.Port}s.localhost" : $"relay-{Backend.Port}.localhost";

        public static async Task<Route> StartAsync(Mode mode, Action<PolicyGate.Configuration.PolicyGateOptions>? configure = null)
        {
            LoopbackBackend backend = mode == Mode.Passthrough ? TlsEchoBackend.Start() : LoopbackBackend.Echo();
            EdgeNode node = await EdgeNode.StartAsync(configure);
            string? protocol = mode == Mode.Passthrough ? null : "tcp";
            await node.RegisterAsync("relay1", "relay", EdgeNode.Only(new PortRule(backend.Port, Protocol: protocol)));
            return new Route(mode, backend, node);
        }

        public Task<EdgeClient> ConnectAsync() => EdgeClient.ConnectAsync(Node.Edge, Sni);

        /// <summary>Passthrough: the client must have seen the backend's own certificate (TLS went through untouched).</summary>
        public void AssertServedBy(EdgeClient client)
        {
            bool backendCert = client.ServerCertificate?.Thumbprint == TlsEchoBackend.Certificate.Thumbprint;
            Assert.Equal(RouteMode == Mode.Passthrough, backendCert);
        }

        public async ValueTask DisposeAsync()
        {
            await Node.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }
}
