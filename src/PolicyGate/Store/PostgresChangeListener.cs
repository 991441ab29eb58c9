using System.Data.Common;
using Npgsql;

namespace PolicyGate.Store;

/// <summary>
/// On PostgreSQL, reloads the registry as soon as any node commits an instance change (LISTEN/NOTIFY, DESIGN §12);
/// the periodic resync covers missed notifications. Does nothing on SQLite.
/// </summary>
public sealed partial class PostgresChangeListener(IStoreDatabase database, InstanceRegistry registry, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public const string Channel = "policygate_instances";
    private static readonly TimeSpan s_reconnectDelay = TimeSpan.FromSeconds(5);

    /// <summary>Queues a notification that is delivered when <paramref name="tx"/> commits.</summary>
    public static async Task NotifyAsync(DbConnection connection, DbTransaction tx, string instanceId, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT pg_notify('" + Channel + "', @id)";
        StoreDatabaseBase.AddParameter(command, "@id", instanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresStoreDatabase postgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(postgres.ConnectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.ListenFailed(logger, e.Message);
                try
                {
                    await Task.Delay(s_reconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await database.MigrateAsync(stoppingToken);

        // A dedicated, unpooled connection: LISTEN state must not leak into pooled connections.
        NpgsqlConnectionStringBuilder builder = new(connectionString) { Pooling = false, KeepAlive = 30 };
        await using NpgsqlConnection connection = new(builder.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        int pending = 0;
        connection.Notification += (_, _) => Interlocked.Exchange(ref pending, 1);
        await using (NpgsqlCommand listen = new("LISTEN " + Channel, connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Changes committed while we were not listening are picked up by one reload now.
        await registry.ReloadAsync(stoppingToken);
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
            if (Interlocked.Exchange(ref pending, 0) == 1)
            {
                await registry.ReloadAsync(stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "LISTEN for instance changes failed (retrying; periodic resync continues): {Error}")]
        public static partial void ListenFailed(ILogger logger, string error);
    }
}
