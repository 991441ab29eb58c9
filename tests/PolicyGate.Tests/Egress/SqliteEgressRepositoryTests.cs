using PolicyGate.Egress;
using PolicyGate.Store;

namespace PolicyGate.Tests.Egress;

public sealed class SqliteEgressRepositoryTests : EgressRepositoryTests, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-egress-" + Guid.NewGuid().ToString("N")[..10]);

    protected override Task<IStoreDatabase> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_dir);
        string connection = "Data Source=" + Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".db");
        return Task.FromResult<IStoreDatabase>(new SqliteStoreDatabase(connection, [new EgressMigrations()]));
    }

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
