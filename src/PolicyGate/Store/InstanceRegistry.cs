using System.Data.Common;
using PolicyGate.Cluster;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Bundles;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Policy;
using PolicyGate.Operations;

namespace PolicyGate.Store;

/// <summary>
/// The instance registry (DESIGN §5): validates and persists registrations, heartbeats, overrides and fetched policies,
/// audits every change, and publishes an immutable <see cref="InstanceSnapshot"/> the edge reads without locks.
/// </summary>
public sealed partial class InstanceRegistry : IInstanceDirectory, IInstanceRegistrar, IStoreChangeSubscriber, IBundleConsumer
{
    private readonly IStoreDatabase _database;
    private readonly ITenantCatalog _tenants;
    private readonly PortPolicyFetchQueue _fetchQueue;
    private readonly TimeProvider _time;
    private readonly RegistryAudit _audit;
    private readonly ILogger<InstanceRegistry> _logger;
    private const string Table = "instances";
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _publishLock = new();
    private InstanceSnapshot _current = InstanceSnapshot.Empty;
    private IReadOnlyDictionary<string, PortPolicy> _bundleOverrides = new Dictionary<string, PortPolicy>();
    private volatile bool _loaded;

    public InstanceRegistry(IStoreDatabase database, ITenantCatalog tenants, PortPolicyFetchQueue fetchQueue, TimeProvider time,
        IAuditLog audit, ILogger<InstanceRegistry> logger)
    {
        _database = database;
        _tenants = tenants;
        _fetchQueue = fetchQueue;
        _time = time;
        _logger = logger;
        _audit = new RegistryAudit(audit);
    }

    public InstanceSnapshot Current => Volatile.Read(ref _current);

    /// <summary>True once the snapshot has been loaded from the store.</summary>
    public bool IsLoaded => _loaded;

    public void RequestPolicyFetch(string instanceId) => _fetchQueue.Request(instanceId);

    /// <summary>The instance with exactly this id (the API is case-sensitive like the store), or null.</summary>
    public InstanceRecord? Get(string instanceId)
        => Current.TryGetInstance(instanceId, out InstanceRecord instance) && string.Equals(instance.InstanceId, instanceId, StringComparison.Ordinal) ? instance : null;

    /// <summary>
    /// Whether the instance exists: from the snapshot, else from the store (another node may have registered it a moment
    /// ago and its notification is still on the way; the one row read then lands in the snapshot too).
    /// </summary>
    public async Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (Get(instanceId) is not null)
        {
            return true;
        }

        await RefreshAsync([instanceId], cancellationToken);
        return Get(instanceId) is not null;
    }

    /// <summary>Every instance (or those of one app), ordered by instance id.</summary>
    public IReadOnlyList<InstanceRecord> List(string? appId = null) => Current.Instances
        .Where(i => appId is null || string.Equals(i.AppId, appId, StringComparison.Ordinal))
        .OrderBy(i => i.InstanceId, StringComparer.Ordinal)
        .ToArray();

    public async Task<InstanceRecord> RegisterAsync(InstanceRegistration registration, string caller, CancellationToken cancellationToken = default)
    {
        string? invalid = InstanceIds.Validate(registration.InstanceId, "instance_id")
            ?? InstanceIds.Validate(registration.AppId, "app_id")
            ?? InstanceRegistrationParser.ValidateAddress(registration.Address)
            ?? InstanceRegistrationParser.ValidateAgentUrl(registration.AgentUrl);
        if (invalid is not null)
        {
            throw new ArgumentException(invalid);
        }

        string tenantId = registration.TenantId ?? "default";
        if (!_tenants.Contains(tenantId))
        {
            throw new ArgumentException($"tenant {tenantId} not found");
        }

        (InstanceRecord? before, InstanceRecord? after) = await ChangeAsync(registration.InstanceId, async (connection, tx, existing, now) =>
        {
            InstanceRecord record = new()
            {
                InstanceId = registration.InstanceId,
                AppId = registration.AppId,
                TenantId = tenantId,
                Address = registration.Address,
                AgentUrl = registration.AgentUrl,
                ComposeHash = registration.ComposeHash,
                RegisteredAt = now,
                LastSeen = now,
            };
            await InstanceRepository.UpsertInstanceAsync(connection, tx, record, cancellationToken);
            if (registration.PortPolicy is not null)
            {
                await InstanceRepository.SetReportedAsync(connection, tx, record.InstanceId, record.ComposeHash, registration.PortPolicy, now, cancellationToken);
            }
            else if (existing is not null && !string.Equals(existing.ComposeHash, record.ComposeHash, StringComparison.Ordinal))
            {
                // A new deployment invalidates what the old one reported; the admin override is never touched.
                await InstanceRepository.ClearReportedAsync(connection, tx, record.InstanceId, cancellationToken);
            }

            return true;
        }, cancellationToken);

        _audit.Changed(before is null ? "admin.instance.register" : "admin.instance.reregister", caller, registration.InstanceId, tenantId, before, after);
        return after!;
    }

    /// <summary>Removes the instance with its reported policy and override; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(string instanceId, string caller, CancellationToken cancellationToken = default)
    {
        (InstanceRecord? before, _) = await ChangeAsync(instanceId, async (connection, tx, existing, _) =>
        {
            if (existing is null)
            {
                return false;
            }

            await InstanceRepository.DeleteAsync(connection, tx, instanceId, cancellationToken);
            return true;
        }, cancellationToken);

        if (before is null)
        {
            return false;
        }

        _audit.Changed("admin.instance.delete", caller, instanceId, before.TenantId, before, null);
        return true;
    }

    /// <summary>
    /// Marks the instance seen now (not audited: too chatty); null when it does not exist. O(log N): one UPDATE, then
    /// only this instance's entry of the snapshot changes; no node-wide lock is held while the database answers.
    /// </summary>
    public async Task<InstanceRecord?> HeartbeatAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _time.GetUtcNow();
        await using (DbConnection connection = await _database.OpenAsync(cancellationToken))
        {
            StoreChange change = new(Table, instanceId, StoreChange.Heartbeat, now.ToUnixTimeMilliseconds());
            if (!await InstanceRepository.TouchAsync(connection, instanceId, now, change, cancellationToken))
            {
                return null;
            }
        }

        if (Touch(instanceId, now) is InstanceRecord touched)
        {
            return touched;
        }

        // Registered by another node and not yet here: read just this one.
        await RefreshAsync([instanceId], cancellationToken);
        return Get(instanceId);
    }

    /// <summary>Sets the admin override; null when the instance does not exist.</summary>
    public async Task<InstanceRecord?> SetOverrideAsync(string instanceId, PortPolicy policy, string caller, CancellationToken cancellationToken = default)
    {
        (InstanceRecord? before, InstanceRecord? after) = await ChangeAsync(instanceId, async (connection, tx, existing, now) =>
        {
            if (existing is null)
            {
                return false;
            }

            await InstanceRepository.SetOverrideAsync(connection, tx, instanceId, policy, caller, now, cancellationToken);
            return true;
        }, cancellationToken);

        if (after is not null)
        {
            _audit.Changed("admin.port_policy.override_set", caller, instanceId, after.TenantId, before, after);
        }

        return after;
    }

    /// <summary>Clears the admin override (the reported policy applies again); null when the instance does not exist.</summary>
    public async Task<InstanceRecord?> ClearOverrideAsync(string instanceId, string caller, CancellationToken cancellationToken = default)
    {
        (InstanceRecord? before, InstanceRecord? after) = await ChangeAsync(instanceId, async (connection, tx, existing, _) =>
        {
            if (existing is null)
            {
                return false;
            }

            await InstanceRepository.ClearOverrideAsync(connection, tx, instanceId, cancellationToken);
            return true;
        }, cancellationToken);

        if (after is not null && before?.AdminOverride is not null)
        {
            _audit.Changed("admin.port_policy.override_clear", caller, instanceId, after.TenantId, before, after);
        }

        return after;
    }

    /// <summary>
    /// Stores a policy fetched from the instance's agent, but only while the instance still runs the compose_hash the
    /// fetch started with (a re-registration in between wins). Returns false when it was dropped.
    /// </summary>
    public async Task<bool> StoreFetchedAsync(string instanceId, string? composeHash, PortPolicy policy, string caller, CancellationToken cancellationToken = default)
    {
        (InstanceRecord? before, InstanceRecord? after) = await ChangeAsync(instanceId, async (connection, tx, existing, now) =>
        {
            if (existing is null || !string.Equals(existing.ComposeHash, composeHash, StringComparison.Ordinal))
            {
                return false;
            }

            await InstanceRepository.SetReportedAsync(connection, tx, instanceId, composeHash, policy, now, cancellationToken);
            return true;
        }, cancellationToken);

        if (after is null)
        {
            return false;
        }

        _audit.Changed("instance.port_policy.fetched", caller, instanceId, after.TenantId, before, after);
        return true;
    }

    /// <summary>Records a fetch that ended without a policy (permanent error, or retries exhausted); nothing is cached.</summary>
    internal void FetchFailed(string instanceId, string tenantId, Uri uri, string error, int attempts)
        => _audit.FetchFailed(instanceId, tenantId, uri, error, attempts);

    /// <summary>Reloads every instance from the store and swaps the snapshot (start, periodic resync, reconnect, recovery).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        // Under the write lock so a reload that read before a local change cannot publish after it.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            List<InstanceRecord> all;
            await using (DbConnection connection = await _database.OpenAsync(cancellationToken))
            {
                all = await InstanceRepository.LoadAllAsync(connection, null, cancellationToken);
            }

            lock (_publishLock)
            {
                // A heartbeat published while we read must not move last_seen back.
                InstanceSnapshot current = _current;
                for (int i = 0; i < all.Count; i++)
                {
                    if (current.TryGetInstance(all[i].InstanceId, out InstanceRecord known) && known.LastSeen > all[i].LastSeen)
                    {
                        all[i] = all[i] with { LastSeen = known.LastSeen };
                    }
                }

                Volatile.Write(ref _current, new InstanceSnapshot(all.Select(Overlay)));
            }

            _loaded = true;
            Log.SnapshotPublished(_logger, all.Count);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public bool Handles(string table) => table == Table;

    /// <summary>Applies other nodes' changes: a heartbeat from its payload (no read), anything else by re-reading that one instance.</summary>
    public async Task ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        HashSet<string> reread = new(StringComparer.Ordinal);
        foreach (StoreChange change in changes)
        {
            if (change is { Op: StoreChange.Heartbeat, At: long at } && Touch(change.Key, DateTimeOffset.FromUnixTimeMilliseconds(at)) is not null)
            {
                continue;
            }

            reread.Add(change.Key);
        }

        if (reread.Count > 0)
        {
            await RefreshAsync(reread, cancellationToken);
        }
    }

    public Task ResyncAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    /// <summary>Re-reads these instances (under the write lock, so reads and publications stay in commit order) and updates only them.</summary>
    private async Task RefreshAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using DbConnection connection = await _database.OpenAsync(cancellationToken);
            foreach (string instanceId in instanceIds)
            {
                Publish(instanceId, await InstanceRepository.LoadAsync(connection, null, instanceId, cancellationToken));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private delegate Task<bool> Mutation(DbConnection connection, DbTransaction tx, InstanceRecord? existing, DateTimeOffset now);

    /// <summary>
    /// Runs one change in a transaction (serialized on this node, and across nodes per instance by an advisory lock),
    /// notifies the other nodes in the same transaction, then re-reads and republishes only this instance.
    /// Returns the instance before and after; both null when the mutation reports no change.
    /// </summary>
    private async Task<(InstanceRecord? Before, InstanceRecord? After)> ChangeAsync(string instanceId, Mutation mutation, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using DbConnection connection = await _database.OpenAsync(cancellationToken);
            InstanceRecord? before;
            InstanceRecord? after = null;
            bool changed;
            await using (DbTransaction tx = await connection.BeginTransactionAsync(cancellationToken))
            {
                await StoreSignals.LockKeyAsync(connection, tx, Table, instanceId, cancellationToken);
                before = await InstanceRepository.LoadAsync(connection, tx, instanceId, cancellationToken);
                changed = await mutation(connection, tx, before, _time.GetUtcNow());
                if (changed)
                {
                    // What this write made, read under the row's lock: the audit's "after" is never another node's later write.
                    after = await InstanceRepository.LoadAsync(connection, tx, instanceId, cancellationToken);
                    await StoreSignals.NotifyAsync(connection, tx, new StoreChange(Table, instanceId, after is null ? StoreChange.Delete : StoreChange.Upsert), cancellationToken);
                }

                await tx.CommitAsync(cancellationToken);
            }

            if (!changed)
            {
                return (null, null);
            }

            // A later write by another node is applied by its notification, which waits for this lock: never overwritten by ours.
            Publish(instanceId, after);
            return (before, after);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Replaces (or removes) one instance in the snapshot; last_seen never moves back.</summary>
    private void Publish(string instanceId, InstanceRecord? record)
    {
        lock (_publishLock)
        {
            InstanceSnapshot current = _current;
            if (record is null)
            {
                Volatile.Write(ref _current, current.Without(instanceId));
                return;
            }

            if (current.TryGetInstance(instanceId, out InstanceRecord known) && known.LastSeen > record.LastSeen)
            {
                record = record with { LastSeen = known.LastSeen };
            }

            Volatile.Write(ref _current, current.With(Overlay(record)));
        }
    }

    /// <summary>The active bundle's port_overrides take the admin-override layer of the instances they name (DESIGN §9).</summary>
    public void ApplyBundle(BundleSections sections)
    {
        lock (_publishLock)
        {
            _bundleOverrides = sections.PortOverrides ?? new Dictionary<string, PortPolicy>();
            Volatile.Write(ref _current, new InstanceSnapshot(_current.Instances.Select(Overlay)));
        }
    }

    private InstanceRecord Overlay(InstanceRecord record) =>
        record with { BundleOverride = _bundleOverrides.TryGetValue(record.InstanceId, out PortPolicy? policy) ? policy : null };

    /// <summary>Moves one known instance's last_seen forward (O(log N)); null when the instance is not in the snapshot.</summary>
    private InstanceRecord? Touch(string instanceId, DateTimeOffset seen)
    {
        lock (_publishLock)
        {
            InstanceSnapshot current = _current;
            if (!current.TryGetInstance(instanceId, out InstanceRecord known))
            {
                return null;
            }

            if (known.LastSeen >= seen)
            {
                return known;
            }

            InstanceRecord touched = known with { LastSeen = seen };
            Volatile.Write(ref _current, current.With(touched));
            return touched;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.RegistrySnapshotPublished, Level = LogLevel.Debug, Message = "instance snapshot published with {Count} instances")]
        public static partial void SnapshotPublished(ILogger logger, int count);
    }
}
