using System.Data.Common;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Store;
using static PolicyGate.Egress.EgressSql;

namespace PolicyGate.Egress;

/// <summary>Session persistence: upsert with its rules, heartbeat, delete.</summary>
public sealed partial class EgressRepository
{
    /// <summary>Creates or replaces a session and its rules; an existing session keeps its created_at and insertion order.</summary>
    public async Task<EgressSession> UpsertSessionAsync(EgressSession session, IReadOnlyList<EgressRule> rules, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        // Two nodes replacing one session at once must not mix their rule lists: one waits for the other.
        await StoreSignals.LockKeyAsync(connection, tx, SessionsTable, session.SessionId, ct);
        EgressSession stored = session;
        await using (DbCommand existing = Command(connection, tx, "SELECT created_at, seq FROM egress_sessions WHERE session_id = @p0", session.SessionId))
        await using (DbDataReader reader = await existing.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                stored = session with { CreatedAt = ReadTime(reader, 0), Sequence = Convert.ToInt64(reader.GetValue(1)) };
            }
        }

        await ExecAsync(connection, tx, ct, "DELETE FROM egress_rules WHERE session_id = @p0", session.SessionId);
        await ExecAsync(connection, tx, ct,
            "INSERT INTO egress_sessions (session_id, container, allow_all, ttl_seconds, created_at, expires_at, seq) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6) "
            + "ON CONFLICT (session_id) DO UPDATE SET container = excluded.container, allow_all = excluded.allow_all, "
            + "ttl_seconds = excluded.ttl_seconds, expires_at = excluded.expires_at",
            stored.SessionId, stored.Container, stored.AllowAll ? 1 : 0, stored.TtlSeconds, Time(stored.CreatedAt), Time(stored.ExpiresAt), stored.Sequence);
        foreach (EgressRule rule in rules)
        {
            await InsertRuleAsync(connection, tx, rule, ct);
        }

        await NotifyAsync(connection, tx, SessionsTable, session.SessionId, StoreChange.Upsert, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    /// <summary>Extends a live session and its rules by its ttl; null when the session is unknown or expired.</summary>
    public async Task<EgressSession?> HeartbeatAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        int ttl;
        await using (DbCommand find = Command(connection, tx,
            "SELECT ttl_seconds FROM egress_sessions WHERE session_id = @p0 AND expires_at > @p1", sessionId, Time(now)))
        {
            object? value = await find.ExecuteScalarAsync(ct);
            if (value is null or DBNull)
            {
                return null;
            }

            ttl = Convert.ToInt32(value);
        }

        DateTimeOffset expires = now.AddSeconds(ttl);
        await ExecAsync(connection, tx, ct, "UPDATE egress_sessions SET expires_at = @p1 WHERE session_id = @p0", sessionId, Time(expires));
        await ExecAsync(connection, tx, ct, "UPDATE egress_rules SET expires_at = @p1 WHERE session_id = @p0", sessionId, Time(expires));
        await NotifyAsync(connection, tx, SessionsTable, sessionId, StoreChange.Upsert, ct);
        await tx.CommitAsync(ct);
        return new EgressSession { SessionId = sessionId, Container = "", TtlSeconds = ttl, ExpiresAt = expires };
    }

    public async Task<bool> DeleteSessionAsync(string sessionId, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        await ExecAsync(connection, tx, ct, "DELETE FROM egress_rules WHERE session_id = @p0", sessionId);
        int n = await ExecAsync(connection, tx, ct, "DELETE FROM egress_sessions WHERE session_id = @p0", sessionId);
        if (n > 0)
        {
            await NotifyAsync(connection, tx, SessionsTable, sessionId, StoreChange.Delete, ct);
        }

        await tx.CommitAsync(ct);
        return n > 0;
    }
}
