using System.Data.Common;
using PolicyGate.Core.Policy;

namespace PolicyGate.Store;

/// <summary>The registry's SQL (portable between SQLite and PostgreSQL); every call runs inside the caller's transaction.</summary>
internal static class InstanceRepository
{
    private const string SelectAll = """
        SELECT i.instance_id, i.app_id, i.tenant_id, i.address, i.agent_url, i.compose_hash, i.registered_at, i.last_seen,
               r.compose_hash, r.policy, o.policy
        FROM instances i
        LEFT JOIN instance_reported_policies r ON r.instance_id = i.instance_id
        LEFT JOIN instance_admin_overrides o ON o.instance_id = i.instance_id
        """;

    public static async Task<List<InstanceRecord>> LoadAllAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using DbCommand command = Command(connection, tx, SelectAll);
        return await ReadAsync(command, ct);
    }

    public static async Task<InstanceRecord?> LoadAsync(DbConnection connection, DbTransaction? tx, string instanceId, CancellationToken ct)
    {
        await using DbCommand command = Command(connection, tx, SelectAll + " WHERE i.instance_id = @id");
        StoreDatabaseBase.AddParameter(command, "@id", instanceId);
        List<InstanceRecord> found = await ReadAsync(command, ct);
        return found.Count == 0 ? null : found[0];
    }

    public static Task UpsertInstanceAsync(DbConnection connection, DbTransaction tx, InstanceRecord instance, CancellationToken ct)
        => ExecuteAsync(connection, tx, """
            INSERT INTO instances (instance_id, app_id, tenant_id, address, agent_url, compose_hash, registered_at, last_seen)
            VALUES (@id, @app, @tenant, @address, @agent, @hash, @registered, @seen)
            ON CONFLICT (instance_id) DO UPDATE SET app_id = excluded.app_id, tenant_id = excluded.tenant_id,
                address = excluded.address, agent_url = excluded.agent_url, compose_hash = excluded.compose_hash,
                registered_at = excluded.registered_at, last_seen = excluded.last_seen
            """, ct,
            ("@id", instance.InstanceId), ("@app", instance.AppId), ("@tenant", instance.TenantId), ("@address", instance.Address),
            ("@agent", instance.AgentUrl), ("@hash", instance.ComposeHash), ("@registered", instance.RegisteredAt.ToUnixTimeMilliseconds()),
            ("@seen", instance.LastSeen.ToUnixTimeMilliseconds()));

    /// <summary>
    /// Moves last_seen and (PostgreSQL) notifies the other nodes in the same single statement: one round trip, no
    /// explicit transaction (the heartbeat path runs hundreds of times a second with 10,000 instances). False when absent.
    /// </summary>
    public static async Task<bool> TouchAsync(DbConnection connection, string instanceId, DateTimeOffset now, StoreChange change, CancellationToken ct)
    {
        bool postgres = connection is Npgsql.NpgsqlConnection;
        await using DbCommand command = Command(connection, null, postgres
            ? "WITH touched AS (UPDATE instances SET last_seen = @seen WHERE instance_id = @id RETURNING instance_id) "
                + "SELECT instance_id, pg_notify('" + StoreSignals.Channel + "', @payload) FROM touched"
            : "UPDATE instances SET last_seen = @seen WHERE instance_id = @id; SELECT changes()");
        StoreDatabaseBase.AddParameter(command, "@id", instanceId);
        StoreDatabaseBase.AddParameter(command, "@seen", now.ToUnixTimeMilliseconds());
        if (postgres)
        {
            StoreDatabaseBase.AddParameter(command, "@payload", change.ToPayload());
        }

        // PostgreSQL: the instance id when it was updated (and notified), nothing when absent; SQLite: the number of rows changed.
        object? result = await command.ExecuteScalarAsync(ct);
        return postgres ? result is not null : Convert.ToInt64(result) > 0;
    }

    public static Task SetReportedAsync(DbConnection connection, DbTransaction tx, string instanceId, string? composeHash, PortPolicy policy, DateTimeOffset now, CancellationToken ct)
        => ExecuteAsync(connection, tx, """
            INSERT INTO instance_reported_policies (instance_id, compose_hash, policy, reported_at) VALUES (@id, @hash, @policy, @at)
            ON CONFLICT (instance_id) DO UPDATE SET compose_hash = excluded.compose_hash, policy = excluded.policy, reported_at = excluded.reported_at
            """, ct,
            ("@id", instanceId), ("@hash", composeHash), ("@policy", PortPolicyJson.ToText(policy)), ("@at", now.ToUnixTimeMilliseconds()));

    public static Task ClearReportedAsync(DbConnection connection, DbTransaction tx, string instanceId, CancellationToken ct)
        => ExecuteAsync(connection, tx, "DELETE FROM instance_reported_policies WHERE instance_id = @id", ct, ("@id", instanceId));

    public static Task SetOverrideAsync(DbConnection connection, DbTransaction tx, string instanceId, PortPolicy policy, string caller, DateTimeOffset now, CancellationToken ct)
        => ExecuteAsync(connection, tx, """
            INSERT INTO instance_admin_overrides (instance_id, policy, set_by, set_at) VALUES (@id, @policy, @by, @at)
            ON CONFLICT (instance_id) DO UPDATE SET policy = excluded.policy, set_by = excluded.set_by, set_at = excluded.set_at
            """, ct,
            ("@id", instanceId), ("@policy", PortPolicyJson.ToText(policy)), ("@by", caller), ("@at", now.ToUnixTimeMilliseconds()));

    public static Task ClearOverrideAsync(DbConnection connection, DbTransaction tx, string instanceId, CancellationToken ct)
        => ExecuteAsync(connection, tx, "DELETE FROM instance_admin_overrides WHERE instance_id = @id", ct, ("@id", instanceId));

    public static async Task DeleteAsync(DbConnection connection, DbTransaction tx, string instanceId, CancellationToken ct)
    {
        await ClearOverrideAsync(connection, tx, instanceId, ct);
        await ClearReportedAsync(connection, tx, instanceId, ct);
        await ExecuteAsync(connection, tx, "DELETE FROM instances WHERE instance_id = @id", ct, ("@id", instanceId));
    }

    private static async Task<List<InstanceRecord>> ReadAsync(DbCommand command, CancellationToken ct)
    {
        List<InstanceRecord> result = [];
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? composeHash = NullableString(reader, 5);
            string? reportedHash = NullableString(reader, 8);
            // A reported policy belongs to one compose_hash; a stale row (another node mid-change) counts as unknown.
            PortPolicy? reported = string.Equals(composeHash, reportedHash, StringComparison.Ordinal) ? ParseStored(NullableString(reader, 9)) : null;
            result.Add(new InstanceRecord
            {
                InstanceId = reader.GetString(0),
                AppId = reader.GetString(1),
                TenantId = reader.GetString(2),
                Address = reader.GetString(3),
                AgentUrl = NullableString(reader, 4),
                ComposeHash = composeHash,
                RegisteredAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                InstanceReported = reported,
                AdminOverride = ParseStored(NullableString(reader, 10)),
            });
        }

        return result;
    }

    /// <summary>A stored policy that no longer parses is treated as absent (fail closed), never trusted.</summary>
    private static PortPolicy? ParseStored(string? text)
        => text is null ? null : PortPolicyParser.Parse(System.Text.Encoding.UTF8.GetBytes(text)).Policy;

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, tx, sql);
        foreach ((string name, object? value) in parameters)
        {
            StoreDatabaseBase.AddParameter(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(ct);
    }
}
