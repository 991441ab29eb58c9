using PolicyGate.Egress;
using PolicyGate.Store;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Store;

namespace PolicyGate.Tests.Egress;

[Collection(PostgresCollection.Name)]
public sealed class PostgresEgressRepositoryTests(PostgresFixture postgres) : EgressRepositoryTests
{
    protected override async Task<IStoreDatabase> CreateDatabaseAsync() =>
        new PostgresStoreDatabase(await postgres.CreateDatabaseAsync(), [new EgressMigrations()]);
}
