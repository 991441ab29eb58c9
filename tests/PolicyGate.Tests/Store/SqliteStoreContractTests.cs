using PolicyGate.Store;

namespace PolicyGate.Tests.Store;

/// <summary>Store contract on a real SQLite file (WAL) in a temp dir.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-sqlite-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Dictionary<IStoreDatabase, string> _paths = [];

    protected override Task<IStoreDatabase> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_dir);
        string connection = "Data Source=" + Path.Combine(_dir, "policygate.db");
        IStoreDatabase database = new SqliteStoreDatabase(connection, [new InstanceMigrations()]);
        _paths[database] = connection;
        return Task.FromResult(database);
    }

    protected override IStoreDatabase Reopen(IStoreDatabase database) => new SqliteStoreDatabase(_paths[database], [new InstanceMigrations()]);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
