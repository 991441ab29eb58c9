using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Store;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>Session TTLs follow the database's clock, not the node's (DESIGN §12): a node whose clock is an hour fast still grants the full TTL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseClockTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_node_with_a_fast_clock_grants_sessions_on_the_database_clock()
    {
        string connection = await postgres.CreateDatabaseAsync();
        // The skewed clock stands in for a misconfigured host: we cannot move this machine's real clock in a test.
        await using TestNode node = await TestNode.StartAsync(
            TestNode.CreateOptions(o =>
            {
                o.Store.Kind = "postgres";
                o.Store.ConnectionString = connection;
            }),
            s => s.AddSingleton<TimeProvider>(new SkewedTimeProvider(TimeSpan.FromHours(1))));
        StoreHealth health = node.Service<StoreHealth>();
        for (int i = 0; i < 100 && health.ClockOffset > TimeSpan.FromMinutes(-59); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(health.ClockOffset < TimeSpan.FromMinutes(-59), $"offset to the database clock {health.ClockOffset}");
        JsonNode created = await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/sessions",
            """{"session_id":"clock1","container":"c1","network_rules":[{"destination":"10.0.0.1","port":443}],"ttl_seconds":600}""");

        DateTimeOffset expires = DateTimeOffset.Parse((string)created["expires_at"]!, CultureInfo.InvariantCulture);
        TimeSpan fromNow = expires - DateTimeOffset.UtcNow;
        // The offset is estimated over a round trip to the database: allow a second of estimation error above the TTL.
        Assert.InRange(fromNow, TimeSpan.FromSeconds(540), TimeSpan.FromSeconds(601));
        JsonArray live = (JsonArray)(await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/sessions"))["sessions"]!;
        Assert.Single(live, s => (string?)s!["session_id"] == "clock1");
    }

    private sealed class SkewedTimeProvider(TimeSpan skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
    }
}
