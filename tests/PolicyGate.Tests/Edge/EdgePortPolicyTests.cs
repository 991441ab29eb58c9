using System.Text;
using PolicyGate.Core.Policy;
using PolicyGate.Edge;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Edge;

/// <summary>DESIGN §4.4, §5 at the edge: denied ports closed before the ServerHello, unknown policy fails closed and asks for a fetch.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgePortPolicyTests
{
    [Fact]
    public async Task Restricted_port_is_closed_before_ServerHello_and_allowed_port_is_served()
    {
        await using LoopbackBackend allowed = LoopbackBackend.Banner("hello\n"u8.ToArray());
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("box1", "box", EdgeNode.Only(new PortRule(allowed.Port, Protocol: "tcp")));
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonPortPolicy);
        int restricted = allowed.Port == 65535 ? 65534 : allowed.Port + 1;

        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, $"box-{restricted}.localhost");
        Assert.False(ok);
        Assert.Equal(0, bytes); // EOF, no ServerHello and no alert from us
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonPortPolicy, before);
        await node.WaitForDenialAuditAsync($"box-{restricted}.localhost", EdgeConstants.ReasonPortPolicy);

        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, $"box-{allowed.Port}.localhost");
        byte[] line = new byte[6];
        await client.Ssl.ReadExactlyAsync(line);
        Assert.Equal("hello\n", Encoding.ASCII.GetString(line));
    }

    [Fact]
    public async Task Unknown_policy_is_closed_and_a_fetch_is_requested()
    {
        // The instance's agent never answers: the policy stays unknown and the fetch attempt is visible at the agent.
        await using PolicyGate.Tests.Store.LoopbackAgent agent = new(_ => new PolicyGate.Tests.Store.AgentReply(404, "{}"));
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("nopolicy1", "nopolicy", policy: null, agentUrl: agent.Url);
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonPolicyUnknown);
        Assert.Equal(0, agent.Hits);

        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, "nopolicy-8080.localhost");

        Assert.False(ok);
        Assert.Equal(0, bytes);
        await agent.WaitForHitsAsync(1);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonPolicyUnknown, before);
        await node.WaitForDenialAuditAsync("nopolicy-8080.localhost", EdgeConstants.ReasonPolicyUnknown);
    }

    [Fact]
    public async Task Override_change_takes_effect_on_the_next_connection_without_restart()
    {
        await using LoopbackBackend backend = LoopbackBackend.Banner("hi\n"u8.ToArray());
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("ovr1", "ovr", EdgeNode.Only(new PortRule(backend.Port, Protocol: "tcp")));
        string sni = $"ovr-{backend.Port}.localhost";
        await using (EdgeClient first = await EdgeClient.ConnectAsync(node.Edge, sni))
        {
            byte[] line = new byte[3];
            await first.Ssl.ReadExactlyAsync(line);
        }

        await node.SetOverrideAsync("ovr1", EdgeNode.Only(new PortRule(22)));
        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, sni);
        Assert.False(ok);
        Assert.Equal(0, bytes);

        await node.SetOverrideAsync("ovr1", null);
        await using EdgeClient again = await EdgeClient.ConnectAsync(node.Edge, sni);
        byte[] hi = new byte[3];
        await again.Ssl.ReadExactlyAsync(hi);
        Assert.Equal("hi\n", Encoding.ASCII.GetString(hi));
    }

    [Fact]
    public async Task Connections_over_max_connections_per_app_are_closed_before_the_handshake()
    {
        await using LoopbackBackend backend = LoopbackBackend.Banner("x"u8.ToArray());
        await using EdgeNode node = await EdgeNode.StartAsync(o => o.Edge.MaxConnectionsPerApp = 1);
        await node.RegisterAsync("lim1", "lim", EdgeNode.Only(new PortRule(backend.Port, Protocol: "tcp")));
        string sni = $"lim-{backend.Port}.localhost";
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonLimit);

        await using EdgeClient first = await EdgeClient.ConnectAsync(node.Edge, sni);
        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, sni);

        Assert.False(ok);
        Assert.Equal(0, bytes);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonLimit, before);
    }

    [Fact]
    public async Task Backend_down_on_a_tcp_port_ends_the_TLS_session_with_close_notify()
    {
        int closedPort = Infrastructure.TestNode.FreePort();
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("down1", "down", EdgeNode.Only(new PortRule(closedPort, Protocol: "tcp")));
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonConnectFailed);

        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, $"down-{closedPort}.localhost");
        (byte[] data, bool eof) = await EdgeClient.ReadToEndAsync(client.Ssl, TimeSpan.FromSeconds(15));

        Assert.True(eof); // a clean TLS end (close_notify), not an exception
        Assert.Empty(data);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonConnectFailed, before);
    }
}
