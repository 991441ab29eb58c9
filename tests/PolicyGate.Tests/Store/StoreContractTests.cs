using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy;
using PolicyGate.Store;

namespace PolicyGate.Tests.Store;

/// <summary>
/// The registry's persistence rules (DESIGN §5) against a real store; run once per dialect by the subclasses.
/// Built without a host: the registry gets a recording audit log because no audit chain runs here.
/// </summary>
public abstract class StoreContractTests
{
    private static readonly PortPolicy s_web = new([new PortRule(8080, true, "http")], restrictMode: true);
    private static readonly PortPolicy s_admin = new([new PortRule(22, false, "tcp")], restrictMode: true);

    protected RecordingAuditLog Audit { get; } = new();

    protected abstract Task<IStoreDatabase> CreateDatabaseAsync();

    /// <summary>A second handle on the same database (another process or node).</summary>
    protected abstract IStoreDatabase Reopen(IStoreDatabase database);

    private InstanceRegistry NewRegistry(IStoreDatabase database) => new(
        database,
        new DefaultTenantOnly(),
        new PortPolicyFetchQueue(),
        TimeProvider.System,
        Audit,
        NullLogger<InstanceRegistry>.Instance);

    /// <summary>The database behind the registry that <see cref="StartAsync"/> made last.</summary>
    private IStoreDatabase Database { get; set; } = null!;

    private async Task<InstanceRegistry> StartAsync()
    {
        IStoreDatabase database = Database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        InstanceRegistry registry = NewRegistry(database);
        await registry.ReloadAsync();
        return registry;
    }

    private static InstanceRegistration Registration(string? hash, PortPolicy? policy, string id = "web_1")
        => new(id, "web", null, "127.0.0.1", null, hash, policy);

    [Fact]
    public async Task MigrationsAreIdempotentAcrossProcesses()
    {
        IStoreDatabase database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        await database.MigrateAsync();
        await Reopen(database).MigrateAsync();

        await using DbConnection connection = await database.OpenAsync();
        await using DbCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE feature = 'instances'";
        Assert.Equal(1L, Convert.ToInt64(await count.ExecuteScalarAsync()));
    }

    [Fact]
    public async Task RegistrationRoundTripsThroughTheStore()
    {
        InstanceRegistry registry = await StartAsync();
        InstanceRecord registered = await registry.RegisterAsync(
            new InstanceRegistration("web_1", "web", "default", "10.1.2.3", "http://10.1.2.3:9/info", "h1", s_web), "test");

        InstanceRegistry other = NewRegistry(Reopen(Database));
        await other.ReloadAsync();
        InstanceRecord loaded = other.Get("web_1")!;

        Assert.Equal(("web", "default", "10.1.2.3", "http://10.1.2.3:9/info", "h1"), (loaded.AppId, loaded.TenantId, loaded.Address, loaded.AgentUrl, loaded.ComposeHash));
        Assert.Equal(registered.RegisteredAt.ToUnixTimeMilliseconds(), loaded.RegisteredAt.ToUnixTimeMilliseconds());
        Assert.Equal(PortPolicyJson.ToText(s_web), PortPolicyJson.ToText(loaded.InstanceReported!));
        Assert.Equal(PortDecision.Allow(true, "http"), loaded.Decide(8080));
        Assert.Equal(PortDecision.Deny("port_policy"), loaded.Decide(8081));
    }

    [Fact]
    public async Task NewComposeHashClearsReportedButNeverTheOverride()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", s_web), "test");
        await registry.SetOverrideAsync("web_1", s_admin, "test");

        InstanceRecord after = await registry.RegisterAsync(Registration("h2", null), "test");

        Assert.Null(after.InstanceReported);
        Assert.Equal(PortPolicyJson.ToText(s_admin), PortPolicyJson.ToText(after.AdminOverride!));
        Assert.Equal(PortDecision.Allow(false, "tcp"), after.Decide(22));
    }

    [Fact]
    public async Task NewComposeHashWithoutPolicyIsUnknown()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", s_web), "test");

        InstanceRecord after = await registry.RegisterAsync(Registration("h2", null), "test");

        Assert.Equal(PortDecisionKind.Unknown, after.Decide(8080).Kind);
        Assert.Equal(PortDecisionKind.Unknown, registry.Current.ResolveCandidates("web_1", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), 3)[0].Decide(8080).Kind);
    }

    [Fact]
    public async Task SameComposeHashWithoutPolicyKeepsTheCachedOne()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", s_web), "test");

        InstanceRecord after = await registry.RegisterAsync(Registration("h1", null), "test");

        Assert.Equal(PortDecision.Allow(true, "http"), after.Decide(8080));
    }

    [Fact]
    public async Task ClearingTheOverrideRevertsToReported()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", s_web), "test");
        await registry.SetOverrideAsync("web_1", s_admin, "test");
        Assert.Equal(PortDecision.Deny("port_policy"), registry.Get("web_1")!.Decide(8080));

        InstanceRecord after = (await registry.ClearOverrideAsync("web_1", "test"))!;

        Assert.Equal("instance", after.EffectiveSource);
        Assert.Equal(PortDecision.Allow(true, "http"), after.Decide(8080));
    }

    [Fact]
    public async Task FetchedPolicyIsDroppedWhenTheHashChangedMeanwhile()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", null), "test");
        await registry.RegisterAsync(Registration("h2", null), "test");

        Assert.False(await registry.StoreFetchedAsync("web_1", "h1", s_web, "test"));
        Assert.True(await registry.StoreFetchedAsync("web_1", "h2", s_web, "test"));
        Assert.Equal("instance", registry.Get("web_1")!.EffectiveSource);
    }

    [Fact]
    public async Task DeleteRemovesTheInstanceWithItsPolicies()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", s_web), "test");
        await registry.SetOverrideAsync("web_1", s_admin, "test");

        Assert.True(await registry.DeleteAsync("web_1", "test"));
        Assert.False(await registry.DeleteAsync("web_1", "test"));
        Assert.Null(registry.Get("web_1"));

        InstanceRecord again = await registry.RegisterAsync(Registration("h1", null), "test");
        Assert.Equal("none", again.EffectiveSource);
    }

    [Fact]
    public async Task HeartbeatMovesLastSeenOnly()
    {
        InstanceRegistry registry = await StartAsync();
        InstanceRecord first = await registry.RegisterAsync(Registration("h1", s_web), "test");
        await Task.Delay(20);

        InstanceRecord beat = (await registry.HeartbeatAsync("web_1"))!;

        Assert.True(beat.LastSeen > first.LastSeen);
        Assert.Equal(first.RegisteredAt, beat.RegisteredAt);
        Assert.Null(await registry.HeartbeatAsync("nope"));
    }

    [Fact]
    public async Task AnotherNodeSeesChangesAfterResync()
    {
        InstanceRegistry nodeA = await StartAsync();
        InstanceRegistry nodeB = NewRegistry(Reopen(Database));
        await nodeB.ReloadAsync();
        Assert.Null(nodeB.Get("web_1"));

        await nodeA.RegisterAsync(Registration("h1", s_web), "test");
        await nodeB.ReloadAsync();

        Assert.Equal("instance", nodeB.Get("web_1")!.EffectiveSource);
    }

    [Fact]
    public async Task UnknownTenantIsRejectedAndNothingIsStored()
    {
        InstanceRegistry registry = await StartAsync();

        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.RegisterAsync(new InstanceRegistration("web_1", "web", "acme", "127.0.0.1", null, null, null), "test"));

        Assert.Equal("tenant acme not found", e.Message);
        await registry.ReloadAsync();
        Assert.Empty(registry.Current.Instances);
    }

    [Fact]
    public async Task EveryChangeIsAuditedWithCallerAndBeforeAfter()
    {
        InstanceRegistry registry = await StartAsync();
        await registry.RegisterAsync(Registration("h1", s_web), "alice");
        await registry.RegisterAsync(Registration("h2", null), "alice");
        await registry.HeartbeatAsync("web_1");
        await registry.SetOverrideAsync("web_1", s_admin, "bob");
        await registry.ClearOverrideAsync("web_1", "bob");
        await registry.DeleteAsync("web_1", "carol");

        AuditEvent[] events = Audit.Events.ToArray();
        Assert.Equal(
            ["admin.instance.register", "admin.instance.reregister", "admin.port_policy.override_set", "admin.port_policy.override_clear", "admin.instance.delete"],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal("web_1", e.Subject));
        Assert.Equal(["alice", "alice", "bob", "bob", "carol"], events.Select(e => (string)e.Details!["caller"]!));
        Assert.Null(events[0].Details!["before"]);
        Assert.Equal("h1", (string)events[1].Details!["before"]!["compose_hash"]!);
        Assert.Equal("h2", (string)events[1].Details!["after"]!["compose_hash"]!);
        Assert.Equal("admin", (string)events[2].Details!["after"]!["port_policy"]!["source"]!);
        Assert.Null(events[4].Details!["after"]);
    }

    /// <summary>The registry only asks whether a tenant exists; these store tests need just `default`.</summary>
    private sealed class DefaultTenantOnly : PolicyGate.Core.Inspection.ITenantCatalog
    {
        public bool Contains(string tenantId) => tenantId == "default";
    }
}
