using System.Data.Common;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Store;
using static PolicyGate.Egress.EgressSql;

namespace PolicyGate.Egress;

/// <summary>Egress persistence over <see cref="IStoreDatabase"/> (rules, sessions, modes); never used on the per-connection path.</summary>
public sealed partial class EgressRepository(IStoreDatabase database)
{
    public const string RulesTable = "egress_rules";
    public const string SessionsTable = "egress_sessions";
    public const string ModesTable = "egress_modes";
    private const string RuleColumns = "id, container, destination, port, action, session_id, expires_at, created_by, notes, created_at, seq";
    private static long s_lastSequence;

    public IStoreDatabase Database => database;

    /// <summary>A strictly increasing insertion sequence (ticks-based so it also orders across restarts).</summary>
    public static long NextSequence()
    {
        long candidate = DateTime.UtcNow.Ticks;
        while (true)
        {
            long last = Interlocked.Read(ref s_lastSequence);
            long next = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref s_lastSequence, next, last) == last)
            {
                return next;
            }
        }
    }

    public async Task<(List<EgressRule> Rules, List<EgressSession> Sessions, Dictionary<string, EgressMode> Modes)> LoadAsync(CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        List<EgressRule> rules = await ReadRulesAsync(connection, null, ct, "SELECT " + RuleColumns + " FROM egress_rules ORDER BY seq");
        List<EgressSession> sessions = [];
        await using (DbCommand command = Command(connection, null,
            "SELECT session_id, container, allow_all, ttl_seconds, created_at, expires_at, seq FROM egress_sessions"))
        await using (DbDataReader reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                sessions.Add(new EgressSession
                {
                    SessionId = reader.GetString(0),
                    Container = reader.GetString(1),
                    AllowAll = Convert.ToInt64(reader.GetValue(2)) != 0,
                    TtlSeconds = Convert.ToInt32(reader.GetValue(3)),
                    CreatedAt = ReadTime(reader, 4),
                    ExpiresAt = ReadTime(reader, 5),
                    Sequence = Convert.ToInt64(reader.GetValue(6)),
                });
            }
        }

        Dictionary<string, EgressMode> modes = new(StringComparer.OrdinalIgnoreCase);
        await using (DbCommand command = Command(connection, null, "SELECT container, mode FROM egress_modes"))
        await using (DbDataReader reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (EgressNames.TryParseMode(reader.GetString(1), out EgressMode mode))
                {
                    modes[reader.GetString(0)] = mode;
                }
            }
        }

        return (rules, sessions, modes);
    }

    public async Task InsertRulesAsync(IEnumerable<EgressRule> rules, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        foreach (EgressRule rule in rules)
        {
            await InsertRuleAsync(connection, tx, rule, ct);
            await NotifyAsync(connection, tx, RulesTable, rule.Id, StoreChange.Upsert, ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>Deletes a global rule; session rules are managed through their session.</summary>
    public async Task<bool> DeleteRuleAsync(string id, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        bool deleted = await ExecAsync(connection, tx, ct, "DELETE FROM egress_rules WHERE id = @p0 AND session_id IS NULL", id) > 0;
        if (deleted)
        {
            await NotifyAsync(connection, tx, RulesTable, id, StoreChange.Delete, ct);
        }

        await tx.CommitAsync(ct);
        return deleted;
    }

    public async Task SetModeAsync(string container, EgressMode mode, DateTimeOffset now, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        await UpsertModeAsync(connection, tx, container, mode, now, ct);
        await NotifyAsync(connection, tx, ModesTable, container, StoreChange.Upsert, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Tells the other nodes (NOTIFY, delivered at commit; nothing on SQLite) which row changed.</summary>
    private static Task NotifyAsync(DbConnection connection, DbTransaction tx, string table, string key, string op, CancellationToken ct)
        => StoreSignals.NotifyAsync(connection, tx, new StoreChange(table, key, op), ct);

    /// <summary>Deletes expired rules and sessions (with their rules); returns how many rows went.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        string t = Time(now);
        int n = await ExecAsync(connection, tx, ct,
            "DELETE FROM egress_rules WHERE session_id IN (SELECT session_id FROM egress_sessions WHERE expires_at <= @p0)", t);
        n += await ExecAsync(connection, tx, ct, "DELETE FROM egress_sessions WHERE expires_at <= @p0", t);
        n += await ExecAsync(connection, tx, ct, "DELETE FROM egress_rules WHERE expires_at IS NOT NULL AND expires_at <= @p0", t);
        await tx.CommitAsync(ct);
        return n;
    }

    private static async Task UpsertModeAsync(DbConnection connection, DbTransaction? tx, string container, EgressMode mode, DateTimeOffset now, CancellationToken ct) =>
        await ExecAsync(connection, tx, ct,
            "INSERT INTO egress_modes (container, mode, updated_at) VALUES (@p0, @p1, @p2) "
            + "ON CONFLICT (container) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
            container, EgressNames.Of(mode), Time(now));

    private static async Task InsertRuleAsync(DbConnection connection, DbTransaction? tx, EgressRule rule, CancellationToken ct) =>
        await ExecAsync(connection, tx, ct,
            "INSERT INTO egress_rules (" + RuleColumns + ") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)",
            rule.Id, rule.Container, rule.Destination, rule.Port, EgressNames.Of(rule.Action), rule.SessionId,
            rule.ExpiresAt is { } e ? Time(e) : null, rule.CreatedBy, rule.Notes, Time(rule.CreatedAt), NextSequence());

    private static async Task<List<EgressRule>> ReadRulesAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct, string sql, params object?[] args)
    {
        List<EgressRule> rules = [];
        await using DbCommand command = Command(connection, tx, sql, args);
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            EgressNames.TryParseAction(reader.GetString(4), out EgressAction action);
            string? session = reader.IsDBNull(5) ? null : reader.GetString(5);
            rules.Add(new EgressRule
            {
                Id = reader.GetString(0),
                Container = reader.GetString(1),
                Destination = reader.GetString(2),
                Port = reader.GetString(3),
                Action = action,
                SessionId = session,
                ExpiresAt = ReadNullableTime(reader, 6),
                CreatedBy = reader.GetString(7),
                Notes = reader.GetString(8),
                CreatedAt = ReadTime(reader, 9),
                Source = session is null ? EgressLayers.Global : EgressLayers.Session,
            });
        }

        return rules;
    }
}
