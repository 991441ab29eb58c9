using System.Text.Json.Nodes;
using PolicyGate.Cluster;
using PolicyGate.Core.Bundles;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Operations;
using PolicyGate.Runtime;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>
/// Owns the egress <see cref="EgressRuleSet"/> snapshot: every change goes to the store, is audited with its caller, and the
/// snapshot is rebuilt and swapped atomically. The proxy only reads <see cref="Current"/> (no lock, no I/O).
/// </summary>
public sealed class EgressStore(EgressRepository repository, RuntimeConfigProvider runtime, IAuditLog audit, StoreHealth health)
    : IReloadable, IStoreChangeSubscriber, IBundleConsumer
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EgressRuntimeConfig _config = runtime.Current.Egress;
    private EgressRuleSet _current = Empty(runtime.Current.Egress);
    private readonly Lock _buildLock = new();
    private (List<EgressRule> Rules, List<EgressSession> Sessions, Dictionary<string, EgressMode> Modes) _stored = ([], [], []);
    private IReadOnlyList<EgressRule> _bundleRules = [];

    public EgressRuleSet Current => Volatile.Read(ref _current);

    public EgressRepository Repository => repository;

    /// <summary>The database's clock (DESIGN §12): session TTLs, grant expiries and the sweep use it on every node alike.</summary>
    public DateTimeOffset Now => health.Now;

    /// <summary>Applies a reloaded egress.default_mode and egress.builtin_loopback (egress.listen is restart-only).</summary>
    public async Task ReloadAsync(RuntimeConfig next, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        EgressRuntimeConfig previous = _config;
        try
        {
            _config = next.Egress;
            await ReloadLockedAsync(cancellationToken);
        }
        catch
        {
            _config = previous;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reloads everything from the store and swaps the snapshot.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await ReloadLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rules, sessions and modes shape the rule set; learned and pending destinations are read from the store on each request.</summary>
    public bool Handles(string table) => table is EgressRepository.RulesTable or EgressRepository.SessionsTable or EgressRepository.ModesTable;

    /// <summary>
    /// Another node changed rules, sessions or modes: one rebuild of the rule set per batch of notifications (the rule
    /// set is compiled as a whole; rules are few next to instances).
    /// </summary>
    public Task ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public Task ResyncAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    /// <summary>
    /// Runs a store change under the write gate, audits it, then rebuilds the snapshot. <paramref name="ct"/> (the caller's
    /// request) can cancel the wait and the change; once the change is stored the rebuild always runs to the end.
    /// </summary>
    public async Task<T> ChangeAsync<T>(Func<CancellationToken, Task<T>> change, string kind, string subject, string caller, JsonObject? details,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            T result = await change(ct);
            details ??= [];
            details["caller"] = caller;
            audit.Enqueue(new AuditEvent(kind, "change", ReasonOf(kind), subject, Details: details));
            await ReloadLockedAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The active bundle's egress_rules join the global layer (DESIGN §9); the store's own rules are kept.</summary>
    public void ApplyBundle(BundleSections sections)
    {
        lock (_buildLock)
        {
            _bundleRules = sections.EgressRules ?? [];
            Build();
        }
    }

    private async Task ReloadLockedAsync(CancellationToken ct)
    {
        (List<EgressRule> Rules, List<EgressSession> Sessions, Dictionary<string, EgressMode> Modes) stored = await repository.LoadAsync(ct);
        lock (_buildLock)
        {
            _stored = stored;
            Build();
        }
    }

    private void Build() => Volatile.Write(ref _current,
        new EgressRuleSet(_stored.Rules.Concat(_bundleRules), _stored.Sessions, _stored.Modes, _config.DefaultMode, _config.BuiltinLoopback));

    private static string ReasonOf(string kind) => kind switch
    {
        "admin.egress.rule.create" => "egress rule created",
        "admin.egress.rule.delete" => "egress rule deleted",
        "admin.egress.mode" => "container egress mode set",
        "admin.egress.approve" => "destination approved",
        "admin.egress.deny" => "destination denied",
        "admin.egress.enforce" => "learned destinations promoted, strict mode",
        "admin.egress.session.upsert" => "session created or replaced",
        "admin.egress.session.heartbeat" => "session extended",
        "admin.egress.session.delete" => "session deleted",
        _ => kind,
    };

    private static EgressRuleSet Empty(EgressRuntimeConfig config) =>
        new([], [], new Dictionary<string, EgressMode>(), config.DefaultMode, config.BuiltinLoopback);
}
