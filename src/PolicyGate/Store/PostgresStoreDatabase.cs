using System.Data.Common;
using Npgsql;

namespace PolicyGate.Store;

/// <summary>
/// A PostgreSQL database shared by several nodes (same schema and SQL as SQLite). Opening fails at once with
/// <see cref="StoreUnavailableException"/> while <see cref="StoreHealth"/> knows the server is down, and otherwise within
/// the connection string's <c>Timeout</c> (connect timeout, seconds).
/// </summary>
public sealed class PostgresStoreDatabase : StoreDatabaseBase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreHealth? _health;

    public PostgresStoreDatabase(string connectionString, IEnumerable<IStoreMigrationSource> sources, StoreHealth? health = null)
        : base(sources)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _health = health;
        ConnectionString = connectionString;
        ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, new NpgsqlConnectionStringBuilder(connectionString).Timeout));
    }

    /// <summary>Kept for LISTEN connections, which must not come from the pool.</summary>
    public string ConnectionString { get; }

    /// <summary>The connection string's connect timeout: the longest an admin write waits for an unreachable server.</summary>
    public TimeSpan ConnectTimeout { get; }

    public override StoreDialect Dialect => StoreDialect.Postgres;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        _health?.ThrowIfDown();
        return await OpenCheckedAsync(cancellationToken);
    }

    /// <summary>Reads the database clock (the health probe; bypasses the fast failure of <see cref="OpenAsync"/>).</summary>
    public override async Task<DateTimeOffset?> ProbeAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenCheckedAsync(cancellationToken);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";
        command.CommandTimeout = (int)ConnectTimeout.TotalSeconds;
        long ms = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <summary>Nodes migrating at once serialize on a transaction-scoped advisory lock.</summary>
    protected override async Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7318001)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenCheckedAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            return await _dataSource.OpenConnectionAsync(timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable($"no connection within {ConnectTimeout.TotalSeconds:0}s", e);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw Unavailable(e.Message, e);
        }
    }

    private StoreUnavailableException Unavailable(string reason, Exception inner)
    {
        // Pooled connections to a server that went away are dead; new ones are opened after recovery.
        _dataSource.Clear();
        _health?.ReportFailure(reason);
        return new StoreUnavailableException(reason, inner);
    }
}
