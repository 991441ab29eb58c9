using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>
/// Two `policygate serve` processes on one real PostgreSQL (DESIGN §12): every decision-shaping change written through
/// node 1 shows in node 2's traffic (edge handshakes, egress CONNECT answers) within a second.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FleetPropagationTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Every_change_on_node_1_reaches_node_2_traffic_within_a_second()
    {
        string connection = await postgres.CreateDatabaseAsync();
        // Both start together on an empty database: the schema migrations serialize on an advisory lock.
        Task<FleetNode> starting1 = FleetNode.StartAsync("fleet-n1", connection);
        Task<FleetNode> starting2 = FleetNode.StartAsync("fleet-n2", connection);
        await using FleetNode n1 = await starting1;
        await using FleetNode n2 = await starting2;
        await using LoopbackBackend backend = LoopbackBackend.Banner("hi\n"u8.ToArray());
        int port = backend.Port;
        string sni = $"fleet1-{port}.localhost";
        string target = $"127.0.0.1:{port}";
        Assert.False(await FleetTraffic.EdgeServesAsync(n2, sni));
        await WarmUpAsync(n1, n2, port);

        // Registration.
        await n1.OkAsync(HttpMethod.Post, "/api/v1/instances",
            $$$"""{"instance_id":"fleet1","app_id":"fleet","address":"127.0.0.1","port_policy":{"ports":[{"port":{{{port}}},"protocol":"tcp"}],"restrict_mode":true}}""");
        Record("registration", await FleetTraffic.TimeUntilAsync(() => FleetTraffic.EdgeServesAsync(n2, sni), s_bound, "registration on node 2's edge"));

        // Override: deny the port, then allow it again.
        await n1.OkAsync(HttpMethod.Put, "/api/v1/instances/fleet1/port-policy", """{"ports":[{"port":22}],"restrict_mode":true}""");
        Record("override", await FleetTraffic.TimeUntilAsync(async () => !await FleetTraffic.EdgeServesAsync(n2, sni), s_bound, "override on node 2's edge"));
        await n1.OkAsync(HttpMethod.Delete, "/api/v1/instances/fleet1/port-policy");
        await FleetTraffic.TimeUntilAsync(() => FleetTraffic.EdgeServesAsync(n2, sni), s_bound, "override cleared on node 2's edge");

        // Egress: the caller on 127.0.0.1 is instance fleet1; strict by default, so CONNECT is 403 until a rule allows it.
        Assert.Equal(403, await FleetTraffic.EgressConnectAsync(n2, target));
        JsonNode rule = await n1.OkAsync(HttpMethod.Post, "/api/v1/egress/rules",
            $$"""{"container":"fleet1","destination":"127.0.0.1","port":{{port}},"action":"allow"}""");
        Record("egress rule added", await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EgressConnectAsync(n2, target) == 200, s_bound, "rule on node 2's egress"));
        await n1.OkAsync(HttpMethod.Delete, "/api/v1/egress/rules/" + (string)rule["id"]!);
        Record("egress rule deleted", await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EgressConnectAsync(n2, target) == 403, s_bound, "rule deletion on node 2's egress"));

        // Sessions.
        await n1.OkAsync(HttpMethod.Post, "/api/v1/sessions",
            $$"""{"session_id":"fs1","container":"fleet1","network_rules":[{"destination":"127.0.0.1","port":{{port}}}],"ttl_seconds":600}""");
        Record("session created", await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EgressConnectAsync(n2, target) == 200, s_bound, "session on node 2's egress"));
        await n1.OkAsync(HttpMethod.Delete, "/api/v1/sessions/fs1");
        Record("session deleted", await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EgressConnectAsync(n2, target) == 403, s_bound, "session deletion on node 2's egress"));

        // 100 propagations (override toggles) for the figures in docs/operations.md.
        List<TimeSpan> samples = [];
        for (int i = 0; i < 100; i++)
        {
            bool deny = i % 2 == 0;
            if (deny)
            {
                await n1.OkAsync(HttpMethod.Put, "/api/v1/instances/fleet1/port-policy", """{"ports":[{"port":22}],"restrict_mode":true}""");
            }
            else
            {
                await n1.OkAsync(HttpMethod.Delete, "/api/v1/instances/fleet1/port-policy");
            }

            samples.Add(await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EdgeServesAsync(n2, sni) != deny, s_bound, $"propagation {i}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"100 propagations node 1 -> node 2 edge: median {FleetTraffic.Percentile(samples, 0.5).TotalMilliseconds:0.0} ms, p99 {FleetTraffic.Percentile(samples, 0.99).TotalMilliseconds:0.0} ms, max {samples.Max().TotalMilliseconds:0.0} ms"));
        Assert.Equal(HttpStatusCode.OK, (await n2.ReadyAsync()).Status);
    }

    /// <summary>
    /// A first TLS handshake and CONNECT in a fresh process pay for JIT and certificate loading (over a second on a busy
    /// 2-core machine); serve one route through node 2 first so the timings below measure propagation only.
    /// </summary>
    private static async Task WarmUpAsync(FleetNode n1, FleetNode n2, int port)
    {
        await n1.OkAsync(HttpMethod.Post, "/api/v1/instances",
            $$$"""{"instance_id":"warm1","app_id":"warm","address":"127.0.0.2","port_policy":{"ports":[{"port":{{{port}}},"protocol":"tcp"}],"restrict_mode":true}}""");
        await FleetTraffic.TimeUntilAsync(() => FleetTraffic.EdgeServesAsync(n2, $"warm1-{port}.localhost"), TimeSpan.FromSeconds(30), "warm-up route");
        await FleetTraffic.EgressConnectAsync(n2, $"127.0.0.1:{port}");
    }

    private void Record(string what, TimeSpan elapsed)
        => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {elapsed.TotalMilliseconds:0.0} ms"));
}
