using PolicyGate.Operations;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>Migrates and loads egress state at start, writes learned/pending sightings, sweeps expired rules and sessions every second.</summary>
public sealed partial class EgressBackgroundService(EgressStore store, IStoreDatabase database, EgressObservationQueue queue, ILogger<EgressBackgroundService> logger)
    : BackgroundService
{
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_resyncInterval = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await store.ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task writer = WriteObservationsAsync(stoppingToken);
        DateTimeOffset lastResync = store.Now;
        using PeriodicTimer timer = new(s_sweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    int swept = await store.Repository.SweepAsync(store.Now, stoppingToken);
                    if (swept > 0 || store.Now - lastResync > s_resyncInterval)
                    {
                        // Resync also picks up changes other nodes made to a shared store.
                        await store.ReloadAsync(stoppingToken);
                        lastResync = store.Now;
                    }
                }
                catch (StoreUnavailableException)
                {
                    // Outage: logged and audited once by StoreHealth; expired sessions still stop matching (decisions compare expiry to the clock).
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await writer;
    }

    private async Task WriteObservationsAsync(CancellationToken ct)
    {
        List<EgressObservation> batch = [];
        try
        {
            while (await queue.Reader.WaitToReadAsync(ct))
            {
                while (batch.Count < 500 && queue.Reader.TryRead(out EgressObservation? o))
                {
                    batch.Add(o);
                }

                try
                {
                    await store.Repository.RecordAsync(batch, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ObservationsFailed(logger, batch.Count, e);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.EgressSweepFailed, Level = LogLevel.Warning, Message = "egress sweep failed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEvents.EgressObservationsFailed, Level = LogLevel.Warning, Message = "recording {Count} egress observations failed")]
        public static partial void ObservationsFailed(ILogger logger, int count, Exception exception);
    }
}
