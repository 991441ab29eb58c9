using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>Schema of per-container egress credentials (DESIGN §8): a salted SHA-256 of the secret, never the secret.</summary>
public sealed class EgressCredentialMigrations : IStoreMigrationSource
{
    public IEnumerable<StoreMigration> Migrations { get; } =
    [
        new StoreMigration("egress_credentials", 1,
        [
            "CREATE TABLE egress_credentials (container TEXT NOT NULL PRIMARY KEY, salt TEXT NOT NULL, hash TEXT NOT NULL, updated_at TEXT NOT NULL)",
        ]),
    ];
}
