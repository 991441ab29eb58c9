namespace PolicyGate.Store;

/// <summary>
/// Probes the store every second (PostgreSQL: reads its clock) and feeds <see cref="StoreHealth"/>; when the store
/// answers again after an outage every snapshot is resynced, so each node converges without a restart.
/// </summary>
public sealed class StoreHealthMonitor(IStoreDatabase database, StoreHealth health, IEnumerable<IStoreChangeSubscriber> subscribers, TimeProvider time)
    : BackgroundService
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        StoreHealth.StoreUp.Set(1);
        health.OnRecovered(async ct =>
        {
            foreach (IStoreChangeSubscriber subscriber in subscribers)
            {
                await subscriber.ResyncAsync(ct);
            }
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not StoreDatabaseBase store || database.Dialect != StoreDialect.Postgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                DateTimeOffset sent = time.GetUtcNow();
                DateTimeOffset? clock = await store.ProbeAsync(stoppingToken);
                if (clock is DateTimeOffset now)
                {
                    health.ObserveClock(now, sent, time.GetUtcNow());
                }

                await health.ReportSuccessAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                health.ReportFailure(e is StoreUnavailableException u ? u.Reason : e.Message);
            }

            try
            {
                await Task.Delay(ProbeInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
