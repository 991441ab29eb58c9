using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PolicyGate.Store;

/// <summary>SQLite in WAL mode (single node).</summary>
public sealed class SqliteStoreDatabase : StoreDatabaseBase
{
    private readonly string _connectionString;

    public SqliteStoreDatabase(string connectionString, IEnumerable<IStoreMigrationSource> sources)
        : base(sources)
    {
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString();
    }

    public override StoreDialect Dialect => StoreDialect.Sqlite;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        SqliteConnection connection = new(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
