using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PolicyGate.Configuration;
using PolicyGate.Store;
using PolicyGate.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>
/// 10,000 instances heartbeating every 30 s (≈333 heartbeats/s) against one node on PostgreSQL: each heartbeat is one
/// UPDATE plus an O(log N) snapshot change, so the node keeps up and keeps answering (the old registry re-read and
/// re-parsed all 10,000 rows per heartbeat).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HeartbeatScaleTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Instances = 10_000;
    private const int Rate = Instances / 30;
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Ten_thousand_instances_heartbeating_every_30s_keep_the_node_responsive()
    {
        string connection = await postgres.CreateDatabaseAsync();
        await using (TestNode first = await TestNode.StartAsync(Configure(connection)))
        {
            // Schema created by the first start; the rows go in by SQL (the API would take minutes on this machine).
        }

        await using (NpgsqlConnection db = new(connection))
        {
            await db.OpenAsync();
            await using NpgsqlCommand insert = new("""
                INSERT INTO instances (instance_id, app_id, tenant_id, address, agent_url, compose_hash, registered_at, last_seen)
                SELECT 'i' || n, 'app' || (n % 500), 'default', '127.0.0.1', NULL, NULL, 0, 0 FROM generate_series(1, 10000) n;
                INSERT INTO instance_reported_policies (instance_id, compose_hash, policy, reported_at)
                SELECT 'i' || n, NULL, '{"ports":[{"port":443},{"port":8080,"pp":true}],"restrict_mode":true}', 0 FROM generate_series(1, 10000) n;
                """, db);
            await insert.ExecuteNonQueryAsync();
        }

        await using TestNode node = await TestNode.StartAsync(Configure(connection));
        InstanceRegistry registry = node.Service<InstanceRegistry>();
        Assert.Equal(Instances, registry.Current.Count);
        Stopwatch reload = Stopwatch.StartNew();
        await registry.ReloadAsync();
        TimeSpan fullReload = reload.Elapsed;

        // ≈333 heartbeats/s through the admin API for a few seconds, while a prober measures /readyz and instance reads.
        int total = (int)(Rate * s_duration.TotalSeconds);
        List<TimeSpan> beats = [], probes = [];
        Stopwatch clock = Stopwatch.StartNew();
        using CancellationTokenSource done = new();
        Task prober = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                Stopwatch one = Stopwatch.StartNew();
                Assert.Equal(HttpStatusCode.OK, (await node.Metrics.GetAsync("/readyz")).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await node.Admin.GetAsync("/api/v1/instances/i42/port-policy")).StatusCode);
                lock (probes)
                {
                    probes.Add(one.Elapsed);
                }

                await Task.Delay(20);
            }
        });
        int next = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                int i = Interlocked.Increment(ref next);
                if (i > total)
                {
                    return;
                }

                // Paced: heartbeat i is due at i / Rate seconds.
                TimeSpan due = TimeSpan.FromSeconds((double)i / Rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                Stopwatch one = Stopwatch.StartNew();
                using HttpResponseMessage response = await node.Admin.PostAsync($"/api/v1/instances/i{1 + (i % Instances)}/heartbeat", null);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                lock (beats)
                {
                    beats.Add(one.Elapsed);
                }
            }
        })));
        TimeSpan took = clock.Elapsed;
        done.Cancel();
        await prober;

        double achieved = total / took.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Instances} instances, {total} heartbeats in {took.TotalSeconds:0.0} s = {achieved:0} /s (target {Rate} /s); heartbeat p50 {Ms(beats, 0.5)} ms p99 {Ms(beats, 0.99)} ms; "
            + $"readyz+GET probe p50 {Ms(probes, 0.5)} ms p99 {Ms(probes, 0.99)} ms over {probes.Count} probes; one full reload of {Instances} rows (the old per-heartbeat cost) {fullReload.TotalMilliseconds:0} ms"));
        // Relative, so machine load (other engineers share these 2 cores) hits both sides alike: under the old O(N)
        // heartbeat a heartbeat cost a full reload (figure above), orders of magnitude more than a snapshot read.
        // Absolute rates are printed, not asserted; InstanceSnapshotScaleTests asserts the snapshot change's cost.
        Assert.True(FleetTraffic.Percentile(beats, 0.5) < FleetTraffic.Percentile(probes, 0.5) * 3 + TimeSpan.FromMilliseconds(50),
            $"a heartbeat (p50 {Ms(beats, 0.5)} ms) costs much more than a snapshot read (p50 {Ms(probes, 0.5)} ms)");
        Assert.True(FleetTraffic.Percentile(beats, 0.5) < fullReload, $"a heartbeat (p50 {Ms(beats, 0.5)} ms) costs as much as a full reload");
        Assert.True(registry.Current.TryGetInstance("i42", out PolicyGate.Core.Policy.InstanceRecord beaten) && beaten.LastSeen > DateTimeOffset.UnixEpoch);
    }

    private static string Ms(List<TimeSpan> values, double p) => FleetTraffic.Percentile(values, p).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static PolicyGateOptions Configure(string connection) => TestNode.CreateOptions(o =>
    {
        o.Store.Kind = "postgres";
        o.Store.ConnectionString = connection;
    });
}
