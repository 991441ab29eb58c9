using PolicyGate.Store;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store;

/// <summary>Store contract on a real PostgreSQL (fresh database per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresFixture postgres) : StoreContractTests
{
    private readonly Dictionary<IStoreDatabase, string> _connections = [];

    protected override async Task<IStoreDatabase> CreateDatabaseAsync()
    {
        string connection = await postgres.CreateDatabaseAsync();
        IStoreDatabase database = new PostgresStoreDatabase(connection, [new InstanceMigrations()]);
        _connections[database] = connection;
        return database;
    }

    protected override IStoreDatabase Reopen(IStoreDatabase database) => new PostgresStoreDatabase(_connections[database], [new InstanceMigrations()]);
}
