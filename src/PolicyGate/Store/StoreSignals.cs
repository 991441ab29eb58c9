using System.Data.Common;
using Npgsql;

namespace PolicyGate.Store;

/// <summary>
/// What a write does inside its transaction on a shared (PostgreSQL) store; no-ops on SQLite, where one node is the
/// only writer: <see cref="NotifyAsync"/> queues a NOTIFY that is delivered only if the transaction commits, and
/// <see cref="LockKeyAsync"/> serializes writers of one logical row across nodes (so a read-modify-write such as a
/// session replace or an audited override never interleaves with another node's).
/// </summary>
public static class StoreSignals
{
    public const string Channel = "policygate_changes";

    public static async Task NotifyAsync(DbConnection connection, DbTransaction tx, StoreChange change, CancellationToken cancellationToken = default)
    {
        if (connection is not NpgsqlConnection)
        {
            return;
        }

        await using DbCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT pg_notify('" + Channel + "', @payload)";
        StoreDatabaseBase.AddParameter(command, "@payload", change.ToPayload());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Takes a transaction-scoped advisory lock on (<paramref name="table"/>, <paramref name="key"/>).</summary>
    public static async Task LockKeyAsync(DbConnection connection, DbTransaction tx, string table, string key, CancellationToken cancellationToken = default)
    {
        if (connection is not NpgsqlConnection)
        {
            return;
        }

        await using DbCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtextextended(@key, 7318002))";
        StoreDatabaseBase.AddParameter(command, "@key", table + "\u001f" + key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
