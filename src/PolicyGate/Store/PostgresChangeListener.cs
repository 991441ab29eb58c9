using Npgsql;
using PolicyGate.Operations;

namespace PolicyGate.Store;

/// <summary>
/// On PostgreSQL, LISTENs on <see cref="StoreSignals.Channel"/> and hands every committed change (any node's) to the
/// snapshot owners that handle its table, which rebuild only what it touched (DESIGN §12). After a connect or a
/// reconnect (the connection dropped, the server restarted) every snapshot is resynced once, since notifications sent
/// meanwhile are lost; the periodic resync covers anything else. Does nothing on SQLite.
/// </summary>
public sealed partial class PostgresChangeListener(
    IStoreDatabase database,
    IEnumerable<IStoreChangeSubscriber> subscribers,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan s_reconnectDelay = TimeSpan.FromSeconds(1);
    private readonly IStoreChangeSubscriber[] _subscribers = [.. subscribers];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresStoreDatabase postgres)
        {
            return;
        }

        bool failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(postgres, () => failing = false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    Log.ListenFailed(logger, e.Message);
                    failing = true;
                }

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

    /// <summary>Hands a batch to each subscriber that handles one of its tables; a malformed payload resyncs everything.</summary>
    internal async Task DispatchAsync(IReadOnlyList<string> payloads, CancellationToken cancellationToken)
    {
        List<StoreChange> changes = new(payloads.Count);
        foreach (string payload in payloads)
        {
            if (StoreChange.Parse(payload) is not StoreChange change)
            {
                Log.BadPayload(logger, payload);
                await ResyncAllAsync(cancellationToken);
                return;
            }

            changes.Add(change);
        }

        foreach (IStoreChangeSubscriber subscriber in _subscribers)
        {
            List<StoreChange> mine = changes.FindAll(c => subscriber.Handles(c.Table));
            if (mine.Count > 0)
            {
                await subscriber.ApplyAsync(mine, cancellationToken);
            }
        }
    }

    private async Task ResyncAllAsync(CancellationToken cancellationToken)
    {
        foreach (IStoreChangeSubscriber subscriber in _subscribers)
        {
            await subscriber.ResyncAsync(cancellationToken);
        }
    }

    private async Task ListenAsync(PostgresStoreDatabase postgres, Action connected, CancellationToken stoppingToken)
    {
        await database.MigrateAsync(stoppingToken);

        // A dedicated, unpooled connection: LISTEN state must not leak into pooled connections.
        NpgsqlConnectionStringBuilder builder = new(postgres.ConnectionString) { Pooling = false, KeepAlive = 5 };
        await using NpgsqlConnection connection = new(builder.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        List<string> received = [];
        connection.Notification += (_, e) =>
        {
            lock (received)
            {
                received.Add(e.Payload);
            }
        };
        await using (NpgsqlCommand listen = new("LISTEN " + StoreSignals.Channel, connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Changes committed while we were not listening are picked up by one resync now.
        await ResyncAllAsync(stoppingToken);
        connected();
        Log.Listening(logger);
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
            string[] batch;
            lock (received)
            {
                batch = [.. received];
                received.Clear();
            }

            if (batch.Length > 0)
            {
                await DispatchAsync(batch, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.StoreListenerListenFailed, Level = LogLevel.Warning, Message = "LISTEN for store changes failed (retrying every second; periodic resync continues): {Error}")]
        public static partial void ListenFailed(ILogger logger, string error);

        [LoggerMessage(EventId = LogEvents.StoreListenerBadPayload, Level = LogLevel.Warning, Message = "malformed store change notification, resyncing everything: {Payload}")]
        public static partial void BadPayload(ILogger logger, string payload);

        [LoggerMessage(EventId = LogEvents.StoreListenerListening, Level = LogLevel.Information, Message = "listening for store changes")]
        public static partial void Listening(ILogger logger);
    }
}
