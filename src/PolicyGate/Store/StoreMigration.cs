namespace PolicyGate.Store;

/// <summary>
/// One versioned schema step of one feature (e.g. feature "instances", version 1). Statements must be portable
/// between SQLite and PostgreSQL (TEXT, BIGINT, INTEGER, no AUTOINCREMENT, no SQLite-only syntax).
/// </summary>
public sealed record StoreMigration(string Feature, int Version, IReadOnlyList<string> Statements);
