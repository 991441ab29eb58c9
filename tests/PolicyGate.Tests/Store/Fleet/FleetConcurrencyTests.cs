using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>Two nodes writing the same override and the same session at once (DESIGN §12): no acknowledged update is lost or mixed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FleetConcurrencyTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Fifty_concurrent_overrides_from_two_nodes_end_in_the_last_acknowledged_write_on_both()
    {
        string connection = await postgres.CreateDatabaseAsync();
        await using FleetNode n1 = await FleetNode.StartAsync("race-n1", connection);
        await using FleetNode n2 = await FleetNode.StartAsync("race-n2", connection);
        await n1.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"race1","app_id":"race","address":"127.0.0.1","port_policy":{"ports":[{"port":1}]}}""");

        // Node 1 writes ports 2000..2024, node 2 writes 3000..3024, all at once.
        Stopwatch clock = Stopwatch.StartNew();
        (FleetNode Node, int Port)[] writes = [.. Enumerable.Range(0, 25).SelectMany(i => new[] { (n1, 2000 + i), (n2, 3000 + i) })];
        (FleetNode Node, int Port, TimeSpan AckedAt)[] acks = await Task.WhenAll(writes.Select(async w =>
        {
            await w.Node.OkAsync(HttpMethod.Put, "/api/v1/instances/race1/port-policy", $$"""{"ports":[{"port":{{w.Port}}}],"restrict_mode":true}""");
            return (w.Node, w.Port, clock.Elapsed);
        }));

        int stored = await StoredOverridePortAsync(connection);
        // A node applies its own writes one at a time, so its last acknowledgement is its last commit: the final row is
        // the last acknowledged write of one of the two nodes.
        int[] lastAcked = [.. new[] { n1, n2 }.Select(n => acks.Where(a => a.Node == n).MaxBy(a => a.AckedAt).Port)];
        Assert.Contains(stored, lastAcked);
        foreach (FleetNode node in new[] { n1, n2 })
        {
            await FleetTraffic.TimeUntilAsync(async () => await OverridePortAsync(node) == stored, TimeSpan.FromSeconds(1), node.Name + " converges");
        }

        // Each node's audit chain records exactly its own 25 writes.
        foreach ((FleetNode node, int first) in new[] { (n1, 2000), (n2, 3000) })
        {
            List<JsonObject> entries = [];
            for (int attempt = 0; attempt < 100 && entries.Count < 25; attempt++)
            {
                entries = AuditFiles.ReadAll(node.AuditDir).FindAll(e => (string?)e["kind"] == "admin.port_policy.override_set" && (string?)e["subject"] == "race1");
                await Task.Delay(entries.Count < 25 ? 100 : 0);
            }

            int[] ports = [.. entries.Select(e => (int)e["details"]!["after"]!["port_policy"]!["admin_override"]!["ports"]![0]!["port"]!).Order()];
            Assert.Equal(Enumerable.Range(first, 25), ports);
        }

        // Written after the race, acknowledged last: both nodes show it.
        await n2.OkAsync(HttpMethod.Put, "/api/v1/instances/race1/port-policy", """{"ports":[{"port":4242}],"restrict_mode":true}""");
        foreach (FleetNode node in new[] { n1, n2 })
        {
            await FleetTraffic.TimeUntilAsync(async () => await OverridePortAsync(node) == 4242, TimeSpan.FromSeconds(1), node.Name + " shows the last write");
        }

        // The same session replaced 20 times at once from both nodes keeps exactly one writer's rule list, never a mix.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? n1 : n2).OkAsync(HttpMethod.Post, "/api/v1/sessions",
            $$"""{"session_id":"race-s","container":"race1","network_rules":[{"destination":"10.0.0.{{i + 1}}","port":443},{"destination":"10.1.0.{{i + 1}}","port":443}],"ttl_seconds":600}""")));
        HashSet<string> fromDb = await SessionRuleDestinationsAsync(connection);
        Assert.Equal(2, fromDb.Count);
        foreach (FleetNode node in new[] { n1, n2 })
        {
            await FleetTraffic.TimeUntilAsync(async () => (await SessionRuleDestinationsAsync(node)).SetEquals(fromDb), TimeSpan.FromSeconds(1), node.Name + " session rules");
        }
    }

    private static async Task<int?> OverridePortAsync(FleetNode node)
    {
        JsonNode view = await node.OkAsync(HttpMethod.Get, "/api/v1/instances/race1/port-policy");
        return (int?)view["admin_override"]?["ports"]?[0]?["port"];
    }

    private static async Task<HashSet<string>> SessionRuleDestinationsAsync(FleetNode node)
    {
        JsonArray rules = (JsonArray)(await node.OkAsync(HttpMethod.Get, "/api/v1/egress/rules"))["rules"]!;
        return [.. rules.Where(r => (string?)r!["session_id"] == "race-s").Select(r => (string)r!["destination"]!)];
    }

    private static async Task<int> StoredOverridePortAsync(string connection)
    {
        await using NpgsqlConnection db = new(connection);
        await db.OpenAsync();
        await using NpgsqlCommand query = new("SELECT policy FROM instance_admin_overrides WHERE instance_id = 'race1'", db);
        return (int)JsonNode.Parse((string)(await query.ExecuteScalarAsync())!)!["ports"]![0]!["port"]!;
    }

    private static async Task<HashSet<string>> SessionRuleDestinationsAsync(string connection)
    {
        await using NpgsqlConnection db = new(connection);
        await db.OpenAsync();
        await using NpgsqlCommand query = new("SELECT destination FROM egress_rules WHERE session_id = 'race-s'", db);
        await using NpgsqlDataReader reader = await query.ExecuteReaderAsync();
        HashSet<string> destinations = [];
        while (await reader.ReadAsync())
        {
            destinations.Add(reader.GetString(0));
        }

        return destinations;
    }
}
