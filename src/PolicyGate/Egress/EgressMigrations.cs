using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>Schema of the "egress" feature: rules, sessions, container modes, learned and pending destinations (portable SQL).</summary>
public sealed class EgressMigrations : IStoreMigrationSource
{
    public IEnumerable<StoreMigration> Migrations { get; } =
    [
        new StoreMigration("egress", 1,
        [
            "CREATE TABLE egress_rules (id TEXT NOT NULL PRIMARY KEY, container TEXT NOT NULL, destination TEXT NOT NULL, port TEXT NOT NULL, "
                + "action TEXT NOT NULL, session_id TEXT NULL, expires_at TEXT NULL, created_by TEXT NOT NULL, notes TEXT NOT NULL, "
                + "created_at TEXT NOT NULL, seq BIGINT NOT NULL)",
            "CREATE INDEX egress_rules_session ON egress_rules (session_id)",
            "CREATE TABLE egress_sessions (session_id TEXT NOT NULL PRIMARY KEY, container TEXT NOT NULL, allow_all INTEGER NOT NULL, "
                + "ttl_seconds INTEGER NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, seq BIGINT NOT NULL)",
            "CREATE TABLE egress_modes (container TEXT NOT NULL PRIMARY KEY, mode TEXT NOT NULL, updated_at TEXT NOT NULL)",
            "CREATE TABLE egress_learned (container TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, hits BIGINT NOT NULL, "
                + "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (container, host, port))",
            "CREATE TABLE egress_pending (container TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, hits BIGINT NOT NULL, "
                + "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (container, host, port))",
        ]),
    ];
}
