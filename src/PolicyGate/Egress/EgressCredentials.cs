using System.Data.Common;
using PolicyGate.Store;
using static PolicyGate.Egress.EgressSql;

namespace PolicyGate.Egress;

/// <summary>
/// Per-container egress credentials (DESIGN §8): stored hashed in the store, held in memory for the per-connection check.
/// Every write notifies the fleet (a credential set or revoked on one node of a shared store takes effect on every node at
/// once); a 30 s reload stays as the safety net.
/// </summary>
public sealed class EgressCredentials(IStoreDatabase database, ILogger<EgressCredentials> logger) : BackgroundService, IStoreChangeSubscriber
{
    public const string Table = "egress_credentials";

    private static readonly TimeSpan s_reloadInterval = TimeSpan.FromSeconds(30);
    private static readonly EgressCredential s_dummy = EgressCredential.Create("", "dummy-secret-never-matches", DateTimeOffset.UnixEpoch);
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private Dictionary<string, EgressCredential> _byContainer = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="container"/> has a credential and <paramref name="secret"/> matches it.</summary>
    public bool Verify(string container, string? secret)
    {
        Dictionary<string, EgressCredential> current = Volatile.Read(ref _byContainer);
        // An absent credential still costs one hash, so timing does not tell which containers have one.
        EgressCredential? credential = current.GetValueOrDefault(container);
        bool matches = (credential ?? s_dummy).Matches(secret ?? "");
        return credential is not null && secret is not null && matches;
    }

    /// <summary>Replaces the container's credential and reloads the in-memory set.</summary>
    public async Task SetAsync(EgressCredential credential, CancellationToken ct)
    {
        await using (DbConnection connection = await database.OpenAsync(ct))
        await using (DbTransaction tx = await connection.BeginTransactionAsync(ct))
        {
            // One upsert: two nodes setting the same container at once never collide on the key.
            await ExecAsync(connection, tx, ct, "INSERT INTO egress_credentials (container, salt, hash, updated_at) VALUES (@p0, @p1, @p2, @p3) "
                + "ON CONFLICT (container) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at",
                credential.Container, Convert.ToHexStringLower(credential.Salt), Convert.ToHexStringLower(credential.Hash), Time(credential.UpdatedAt));
            await StoreSignals.NotifyAsync(connection, tx, new StoreChange(Table, credential.Container, StoreChange.Upsert), ct);
            await tx.CommitAsync(ct);
        }
        await LoadAsync(ct);
    }

    /// <summary>Removes the container's credential; false when it had none.</summary>
    public async Task<bool> DeleteAsync(string container, CancellationToken ct)
    {
        int deleted;
        await using (DbConnection connection = await database.OpenAsync(ct))
        await using (DbTransaction tx = await connection.BeginTransactionAsync(ct))
        {
            deleted = await ExecAsync(connection, tx, ct, "DELETE FROM egress_credentials WHERE container = @p0", container);
            await StoreSignals.NotifyAsync(connection, tx, new StoreChange(Table, container, StoreChange.Delete), ct);
            await tx.CommitAsync(ct);
        }
        await LoadAsync(ct);
        return deleted > 0;
    }

    public bool Handles(string table) => table == Table;

    public Task ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task ResyncAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(s_reloadInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await LoadAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "egress credential reload failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads every credential; serialized so a slow periodic load cannot overwrite a newer one.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        await _loadGate.WaitAsync(ct);
        try
        {
            Dictionary<string, EgressCredential> loaded = new(StringComparer.Ordinal);
            await using DbConnection connection = await database.OpenAsync(ct);
            await using DbCommand command = Command(connection, null, "SELECT container, salt, hash, updated_at FROM egress_credentials");
            await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                string container = reader.GetString(0);
                loaded[container] = new EgressCredential(container, Convert.FromHexString(reader.GetString(1)),
                    Convert.FromHexString(reader.GetString(2)), ReadTime(reader, 3));
            }
            Volatile.Write(ref _byContainer, loaded);
        }
        finally
        {
            _loadGate.Release();
        }
    }

    public override void Dispose()
    {
        _loadGate.Dispose();
        base.Dispose();
    }
}
