using System.Data.Common;
using Npgsql;

namespace PolicyGate.Store;

/// <summary>A PostgreSQL database shared by several nodes (same schema and SQL as SQLite).</summary>
public sealed class PostgresStoreDatabase : StoreDatabaseBase
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStoreDatabase(string connectionString, IEnumerable<IStoreMigrationSource> sources)
        : base(sources)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        ConnectionString = connectionString;
    }

    /// <summary>Kept for LISTEN connections, which must not come from the pool.</summary>
    public string ConnectionString { get; }

    public override StoreDialect Dialect => StoreDialect.Postgres;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
        => await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Nodes migrating at once serialize on a transaction-scoped advisory lock.</summary>
    protected override async Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7318001)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
