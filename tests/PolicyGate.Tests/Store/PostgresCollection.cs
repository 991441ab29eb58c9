using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store;

/// <summary>Test classes in this collection share one throwaway PostgreSQL cluster.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
