using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>
/// PostgreSQL killed (`pg_ctl stop -m immediate`) under two serving nodes, then started again (DESIGN §11, §12): known
/// routes keep being served and unknown ones refused, admin writes answer 503 within the connect timeout, /readyz says
/// degraded, policygate_store_up is 0, sessions still expire on time; after the restart both nodes converge without a
/// restart and everything acknowledged before the stop is there. The test owns its cluster (no other test shares it).
/// </summary>
public sealed class FleetOutageTests : IAsyncLifetime
{
    private const int ConnectTimeoutSeconds = 3;
    private readonly PostgresFixture _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task Both_nodes_serve_through_an_outage_and_converge_after_it()
    {
        string connection = PostgresFixture.WithTimeouts(await _postgres.CreateDatabaseAsync(), ConnectTimeoutSeconds, 5);
        Task<FleetNode> starting1 = FleetNode.StartAsync("outage-n1", connection);
        Task<FleetNode> starting2 = FleetNode.StartAsync("outage-n2", connection);
        await using FleetNode n1 = await starting1;
        await using FleetNode n2 = await starting2;
        FleetNode[] nodes = [n1, n2];
        await using LoopbackBackend backend = LoopbackBackend.Banner("hi\n"u8.ToArray());
        int port = backend.Port;
        string known = $"known1-{port}.localhost";
        string target = $"127.0.0.1:{port}";

        // Acknowledged before the stop: a registration (node 1), an override (node 2), a global rule and a short session (node 1).
        await n1.OkAsync(HttpMethod.Post, "/api/v1/instances",
            $$$"""{"instance_id":"known1","app_id":"known","address":"127.0.0.1","port_policy":{"ports":[{"port":22}],"restrict_mode":true}}""");
        await n2.OkAsync(HttpMethod.Put, "/api/v1/instances/known1/port-policy", $$$"""{"ports":[{"port":{{{port}}},"protocol":"tcp"}],"restrict_mode":true}""");
        await n1.OkAsync(HttpMethod.Post, "/api/v1/egress/rules", """{"container":"known1","destination":"10.9.9.9","port":443,"action":"allow","notes":"before"}""");
        JsonNode session = await n1.OkAsync(HttpMethod.Post, "/api/v1/sessions",
            $$"""{"session_id":"short1","container":"known1","network_rules":[{"destination":"127.0.0.1","port":{{port}}}],"ttl_seconds":15}""");
        DateTimeOffset sessionExpires = DateTimeOffset.Parse((string)session["expires_at"]!, CultureInfo.InvariantCulture);
        foreach (FleetNode node in nodes)
        {
            await FleetTraffic.TimeUntilAsync(() => FleetTraffic.EdgeServesAsync(node, known), TimeSpan.FromSeconds(30), node.Name + " serves the known route");
            await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EgressConnectAsync(node, target) == 200, TimeSpan.FromSeconds(10), node.Name + " honours the session");
        }

        // Traffic keeps flowing on both nodes for the whole outage.
        using CancellationTokenSource stopTraffic = new();
        ConcurrentBag<(string Node, string Sni, bool Served, TimeSpan Took)> seen = [];
        Task traffic = Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            for (int i = 0; i < 2000 && !stopTraffic.IsCancellationRequested; i++)
            {
                foreach (string sni in (string[])[known, $"nobody-{port}.localhost"])
                {
                    Stopwatch watch = Stopwatch.StartNew();
                    bool served = await FleetTraffic.EdgeServesAsync(node, sni);
                    seen.Add((node.Name, sni, served, watch.Elapsed));
                }

                await Task.Delay(50);
            }
        })));

        await _postgres.StopImmediateAsync();

        foreach (FleetNode node in nodes)
        {
            JsonNode ready = await WaitForReadyStatusAsync(node, "degraded");
            Assert.StartsWith("unavailable, serving the last snapshot: ", (string)ready["reasons"]!["store"]!);
            Assert.Equal(0, await node.MetricAsync("policygate_store_up"));

            Stopwatch write = Stopwatch.StartNew();
            (HttpStatusCode status, JsonNode? body) = await node.SendAsync(HttpMethod.Put, "/api/v1/instances/known1/port-policy", """{"ports":[{"port":22}],"restrict_mode":true}""");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.StartsWith("store unavailable: ", (string)body!["error"]!);
            (status, body) = await node.SendAsync(HttpMethod.Post, "/api/v1/egress/rules", """{"container":"known1","destination":"10.8.8.8","port":443,"action":"allow"}""");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.StartsWith("store unavailable: ", (string)body!["error"]!);
            Assert.True(write.Elapsed < TimeSpan.FromSeconds(ConnectTimeoutSeconds), $"{node.Name}: admin writes took {write.Elapsed.TotalMilliseconds:0} ms");

            Assert.True(await FleetTraffic.EdgeServesAsync(node, known), node.Name + " stopped serving a known route");
            Assert.False(await FleetTraffic.EdgeServesAsync(node, $"nobody-{port}.localhost"), node.Name + " served an unknown route");
        }

        // The session was granted before the outage; it still ends on time, without the database.
        Assert.True(DateTimeOffset.UtcNow < sessionExpires, "the session expired before the outage was observed; the test machine is too slow for this check");
        Assert.Equal(200, await FleetTraffic.EgressConnectAsync(n2, target));
        await Task.Delay((sessionExpires - DateTimeOffset.UtcNow) + TimeSpan.FromMilliseconds(300));
        foreach (FleetNode node in nodes)
        {
            Assert.Equal(403, await FleetTraffic.EgressConnectAsync(node, target));
        }

        await _postgres.StartAsync();
        foreach (FleetNode node in nodes)
        {
            await WaitForReadyStatusAsync(node, "ready");
            Assert.Equal(1, await node.MetricAsync("policygate_store_up"));
        }

        stopTraffic.Cancel();
        await traffic;
        Assert.Contains(seen, s => s.Sni == known);
        Assert.All(seen, s => Assert.True(s.Served == (s.Sni == known), $"{s.Node} {s.Sni} served={s.Served}"));
        (string Node, string Sni, bool Served, TimeSpan Took) slowest = seen.MaxBy(s => s.Took);
        Assert.True(slowest.Took < TimeSpan.FromSeconds(ConnectTimeoutSeconds), $"{slowest.Node} {slowest.Sni} took {slowest.Took.TotalMilliseconds:0} ms");

        // Converged without a restart: a change on either node reaches the other's traffic within a second.
        await n2.OkAsync(HttpMethod.Put, "/api/v1/instances/known1/port-policy", """{"ports":[{"port":22}],"restrict_mode":true}""");
        await FleetTraffic.TimeUntilAsync(async () => !await FleetTraffic.EdgeServesAsync(n1, known), TimeSpan.FromSeconds(1), "override after recovery on node 1");
        await n1.OkAsync(HttpMethod.Post, "/api/v1/sessions",
            $$"""{"session_id":"after1","container":"known1","network_rules":[{"destination":"127.0.0.1","port":{{port}}}],"ttl_seconds":600}""");
        await FleetTraffic.TimeUntilAsync(async () => await FleetTraffic.EgressConnectAsync(n2, target) == 200, TimeSpan.FromSeconds(1), "session after recovery on node 2");


        // Everything acknowledged before the stop is there, on both nodes.
        foreach (FleetNode node in nodes)
        {
            JsonNode instance = await node.OkAsync(HttpMethod.Get, "/api/v1/instances/known1");
            Assert.Equal("known", (string)instance["app_id"]!);
            JsonArray rules = (JsonArray)(await node.OkAsync(HttpMethod.Get, "/api/v1/egress/rules"))["rules"]!;
            Assert.Contains(rules, r => (string?)r!["notes"] == "before" && (string?)r["destination"] == "10.9.9.9");

            // One audit entry marks the outage and one the recovery, on each node.
            await AuditFiles.WaitForAsync(node.AuditDir, "store.recovered", "store");
            List<JsonObject> entries = AuditFiles.ReadAll(node.AuditDir);
            Assert.Single(entries, e => (string?)e["kind"] == "store.outage");
            Assert.Single(entries, e => (string?)e["kind"] == "store.recovered");
        }
    }

    /// <summary>Polls /readyz (bounded) until its status is <paramref name="status"/> with HTTP 200; returns the body.</summary>
    private static async Task<JsonNode> WaitForReadyStatusAsync(FleetNode node, string status)
    {
        Stopwatch watch = Stopwatch.StartNew();
        while (true)
        {
            (HttpStatusCode code, JsonNode? body) = await node.ReadyAsync();
            if (code == HttpStatusCode.OK && (string?)body?["status"] == status)
            {
                return body!;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{node.Name} /readyz stayed {(int)code} {body?.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
