using System.Data.Common;

namespace PolicyGate.Store;

/// <summary>
/// The node's database (SQLite in data_dir, or a shared PostgreSQL). Repositories open a connection per operation
/// and use parameters named `@name` (both providers accept them). Never called on the per-connection hot path.
/// </summary>
public interface IStoreDatabase
{
    StoreDialect Dialect { get; }

    /// <summary>Opens a connection (schema already migrated).</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies pending migrations of every registered feature; idempotent.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
