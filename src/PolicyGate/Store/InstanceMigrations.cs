namespace PolicyGate.Store;

/// <summary>
/// Schema of the instance registry: instances, their reported policies (keyed by compose_hash) and admin overrides in
/// a table of their own so re-registration never touches them. Timestamps are BIGINT unix milliseconds.
/// </summary>
public sealed class InstanceMigrations : IStoreMigrationSource
{
    public IEnumerable<StoreMigration> Migrations { get; } =
    [
        new("instances", 1,
        [
            """
            CREATE TABLE instances (
                instance_id TEXT NOT NULL PRIMARY KEY,
                app_id TEXT NOT NULL,
                tenant_id TEXT NOT NULL,
                address TEXT NOT NULL,
                agent_url TEXT NULL,
                compose_hash TEXT NULL,
                registered_at BIGINT NOT NULL,
                last_seen BIGINT NOT NULL)
            """,
            "CREATE INDEX instances_app_id ON instances (app_id)",
            """
            CREATE TABLE instance_reported_policies (
                instance_id TEXT NOT NULL PRIMARY KEY,
                compose_hash TEXT NULL,
                policy TEXT NOT NULL,
                reported_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE instance_admin_overrides (
                instance_id TEXT NOT NULL PRIMARY KEY,
                policy TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at BIGINT NOT NULL)
            """,
        ]),
    ];
}
