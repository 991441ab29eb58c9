using System.Data.Common;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Store;
using static PolicyGate.Egress.EgressSql;

namespace PolicyGate.Egress;

/// <summary>Learned and pending destinations: recording (deduplicated, pending capped), listing, approve and enforce.</summary>
public sealed partial class EgressRepository
{
    public const int PendingCap = 1000;

    public async Task RecordAsync(IReadOnlyList<EgressObservation> batch, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        foreach (EgressObservation o in batch)
        {
            string table = o.Learned ? "egress_learned" : "egress_pending";
            string t = Time(o.At);
            int updated = await ExecAsync(connection, tx, ct,
                $"UPDATE {table} SET hits = hits + 1, last_seen = @p3 WHERE container = @p0 AND host = @p1 AND port = @p2", o.Container, o.Host, o.Port, t);
            if (updated == 0)
            {
                string cap = o.Learned ? "" : $" WHERE (SELECT COUNT(*) FROM egress_pending) < {PendingCap}";
                await ExecAsync(connection, tx, ct,
                    $"INSERT INTO {table} (container, host, port, hits, first_seen, last_seen) SELECT @p0, @p1, @p2, 1, @p3, @p3{cap}",
                    o.Container, o.Host, o.Port, t);
            }
        }

        await tx.CommitAsync(ct);
    }

    public async Task<List<EgressDestinationStats>> ListAsync(bool learned, string? container, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        string table = learned ? "egress_learned" : "egress_pending";
        string where = container is null ? "" : " WHERE container = @p0";
        List<EgressDestinationStats> rows = [];
        await using DbCommand command = Command(connection, null,
            $"SELECT container, host, port, hits, first_seen, last_seen FROM {table}{where} ORDER BY container, host, port",
            container is null ? [] : [container]);
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new EgressDestinationStats(reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2)),
                Convert.ToInt64(reader.GetValue(3)), ReadTime(reader, 4), ReadTime(reader, 5)));
        }

        return rows;
    }

    /// <summary>Adds a global rule and, for an allow, clears the matching pending entry, in one transaction.</summary>
    public async Task AddDecisionRuleAsync(EgressRule rule, string host, int port, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        await InsertRuleAsync(connection, tx, rule, ct);
        await ExecAsync(connection, tx, ct, "DELETE FROM egress_pending WHERE container = @p0 AND host = @p1 AND port = @p2", rule.Container, host, port);
        await NotifyAsync(connection, tx, RulesTable, rule.Id, StoreChange.Upsert, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Promotes the learned (host, port) pairs of <paramref name="containers"/> to allow rules for <paramref name="target"/> and switches it to strict.</summary>
    public async Task<int> EnforceAsync(string target, IReadOnlyCollection<string> containers, string caller, DateTimeOffset now, CancellationToken ct)
    {
        await using DbConnection connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        HashSet<(string, int)> pairs = [];
        foreach (string container in containers)
        {
            await using DbCommand command = Command(connection, tx, "SELECT host, port FROM egress_learned WHERE container = @p0", container);
            await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                pairs.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1))));
            }
        }

        foreach ((string host, int port) in pairs.OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2))
        {
            await InsertRuleAsync(connection, tx, new EgressRule
            {
                Id = EgressIds.NewRuleId(),
                Container = target,
                Destination = host,
                Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Action = EgressAction.Allow,
                CreatedBy = caller,
                Notes = "promoted from learned",
                CreatedAt = now,
            }, ct);
        }

        foreach (string container in containers)
        {
            await ExecAsync(connection, tx, ct, "DELETE FROM egress_learned WHERE container = @p0", container);
        }

        await UpsertModeAsync(connection, tx, target, EgressMode.Strict, now, ct);
        await NotifyAsync(connection, tx, ModesTable, target, StoreChange.Upsert, ct);
        await tx.CommitAsync(ct);
        return pairs.Count;
    }
}
