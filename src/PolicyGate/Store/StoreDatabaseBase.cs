using System.Data.Common;

namespace PolicyGate.Store;

/// <summary>Migration runner shared by both dialects: table schema_migrations(feature, version), each step in a transaction.</summary>
public abstract class StoreDatabaseBase(IEnumerable<IStoreMigrationSource> sources) : IStoreDatabase
{
    private readonly IReadOnlyList<StoreMigration> _migrations = sources.SelectMany(s => s.Migrations)
        .OrderBy(m => m.Feature, StringComparer.Ordinal).ThenBy(m => m.Version).ToArray();
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private bool _migrated;

    public abstract StoreDialect Dialect { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks the store answers; returns the database's clock when it has one of its own (PostgreSQL), else null.</summary>
    public virtual async Task<DateTimeOffset?> ProbeAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken);
        return null;
    }

    /// <summary>Runs once per process (several features may call it at start); later calls return at once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _migrateLock.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await MigrateCoreAsync(cancellationToken);
                _migrated = true;
            }
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    /// <summary>Adds a parameter (null → DBNull).</summary>
    public static void AddParameter(DbCommand command, string name, object? value)
    {
        DbParameter p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary>Hook for a cross-process lock held for one migration step's transaction (PostgreSQL: advisory lock).</summary>
    protected virtual Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateCoreAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken);
        await using (DbTransaction tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockMigrationsAsync(connection, tx, cancellationToken);
            await ExecuteAsync(connection, tx,
                "CREATE TABLE IF NOT EXISTS schema_migrations (feature TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (feature, version))",
                cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        foreach (StoreMigration migration in _migrations)
        {
            await using DbTransaction tx = await connection.BeginTransactionAsync(cancellationToken);
            await LockMigrationsAsync(connection, tx, cancellationToken);
            await using (DbCommand check = connection.CreateCommand())
            {
                check.Transaction = tx;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE feature = @f AND version = @v";
                AddParameter(check, "@f", migration.Feature);
                AddParameter(check, "@v", migration.Version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken)) > 0)
                {
                    continue;
                }
            }

            foreach (string statement in migration.Statements)
            {
                await ExecuteAsync(connection, tx, statement, cancellationToken);
            }

            await using (DbCommand record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (feature, version, applied_at) VALUES (@f, @v, @t)";
                AddParameter(record, "@f", migration.Feature);
                AddParameter(record, "@v", migration.Version);
                AddParameter(record, "@t", DateTimeOffset.UtcNow.ToString("O"));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
