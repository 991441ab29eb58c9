using PolicyGate.Core.Policy.Egress;
using PolicyGate.Egress;
using PolicyGate.Store;

namespace PolicyGate.Tests.Egress;

/// <summary>The egress schema and queries on each store dialect (the SQL must stay portable).</summary>
public abstract class EgressRepositoryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IStoreDatabase> CreateDatabaseAsync();

    private static EgressRule Rule(string id, string? session = null, DateTimeOffset? expires = null) => new()
    {
        Id = id, Container = "c1", Destination = "api.example.test", Port = "443", SessionId = session, ExpiresAt = expires, CreatedAt = s_now,
        CreatedBy = "test",
    };

    [Fact]
    public async Task Rules_sessions_observations_enforce_and_sweep_round_trip()
    {
        IStoreDatabase database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        await database.MigrateAsync();
        EgressRepository repository = new(database);
        CancellationToken ct = CancellationToken.None;

        await repository.InsertRulesAsync([Rule("g1"), Rule("g2", expires: s_now.AddSeconds(5))], ct);
        EgressSession session = new() { SessionId = "s1", Container = "c1", TtlSeconds = 60, CreatedAt = s_now, ExpiresAt = s_now.AddSeconds(60), Sequence = 7 };
        await repository.UpsertSessionAsync(session, [Rule("s-a", "s1", s_now.AddSeconds(60))], ct);
        EgressSession again = await repository.UpsertSessionAsync(session with { CreatedAt = s_now.AddSeconds(30), Sequence = 9, AllowAll = true },
            [Rule("s-b", "s1", s_now.AddSeconds(60))], ct);
        Assert.Equal((s_now, 7L), (again.CreatedAt, again.Sequence));

        var (rules, sessions, _) = await repository.LoadAsync(ct);
        Assert.Equal(["g1", "g2", "s-b"], rules.Select(r => r.Id).Order().ToArray());
        EgressSession stored = Assert.Single(sessions);
        Assert.True(stored.AllowAll);

        EgressSession? beat = await repository.HeartbeatAsync("s1", s_now.AddSeconds(50), ct);
        Assert.Equal(s_now.AddSeconds(110), beat!.ExpiresAt);
        Assert.Null(await repository.HeartbeatAsync("nope", s_now, ct));

        for (int i = 0; i < 3; i++)
        {
            await repository.RecordAsync([new EgressObservation(true, "c1", "learned.test", 443, s_now.AddSeconds(i))], ct);
        }

        await repository.RecordAsync([new EgressObservation(false, "c1", "pending.test", 80, s_now)], ct);
        EgressDestinationStats learned = Assert.Single(await repository.ListAsync(true, null, ct));
        Assert.Equal((3L, s_now, s_now.AddSeconds(2)), (learned.Count, learned.FirstSeen, learned.LastSeen));
        Assert.Single(await repository.ListAsync(false, "c1", ct));
        Assert.Empty(await repository.ListAsync(false, "other", ct));

        Assert.Equal(1, await repository.EnforceAsync("c1", ["c1"], "test", s_now, ct));
        (rules, _, var modes) = await repository.LoadAsync(ct);
        Assert.Contains(rules, r => r.Destination == "learned.test" && r.Port == "443" && r.Notes == "promoted from learned");
        Assert.Equal(EgressMode.Strict, modes["c1"]);
        Assert.Empty(await repository.ListAsync(true, null, ct));

        Assert.Equal(1, await repository.SweepAsync(s_now.AddSeconds(10), ct));
        Assert.Equal(2, await repository.SweepAsync(s_now.AddSeconds(200), ct));
        (rules, sessions, _) = await repository.LoadAsync(ct);
        Assert.Empty(sessions);
        Assert.DoesNotContain(rules, r => r.SessionId is not null || r.Id == "g2");
        Assert.True(await repository.DeleteRuleAsync("g1", ct));
        Assert.False(await repository.DeleteRuleAsync("g1", ct));
    }

    [Fact]
    public async Task Pending_is_capped_at_1000()
    {
        IStoreDatabase database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        EgressRepository repository = new(database);
        List<EgressObservation> batch = Enumerable.Range(1, 1005).Select(i => new EgressObservation(false, "c", "h" + i + ".test", 443, s_now)).ToList();
        await repository.RecordAsync(batch, CancellationToken.None);
        await repository.RecordAsync([new EgressObservation(false, "c", "h1.test", 443, s_now.AddSeconds(1))], CancellationToken.None);
        List<EgressDestinationStats> pending = await repository.ListAsync(false, null, CancellationToken.None);
        Assert.Equal(EgressRepository.PendingCap, pending.Count);
        Assert.Equal(2, pending.Single(p => p.Host == "h1.test").Count);
    }
}
