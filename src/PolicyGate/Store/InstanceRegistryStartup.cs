using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Store;

/// <summary>
/// Migrates the store and loads the registry before the listeners start, then resyncs from the store every
/// <see cref="ResyncInterval"/> (other nodes sharing PostgreSQL change it too; DESIGN §12).
/// </summary>
public sealed partial class InstanceRegistryStartup(
    IStoreDatabase database,
    InstanceRegistry registry,
    TimeProvider time,
    ILogger<InstanceRegistryStartup> logger) : BackgroundService
{
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.MigrateAsync(cancellationToken);
            await registry.ReloadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ConfigException($"store: cannot open the {database.Dialect} store: {e.Message}");
        }

        Log.Loaded(logger, database.Dialect, registry.Current.Instances.Count);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(ResyncInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await registry.ReloadAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ResyncFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.RegistryStartupLoaded, Level = LogLevel.Information, Message = "{Dialect} store ready; {Count} instances loaded")]
        public static partial void Loaded(ILogger logger, StoreDialect dialect, int count);

        [LoggerMessage(EventId = LogEvents.RegistryStartupResyncFailed, Level = LogLevel.Warning, Message = "instance resync from the store failed (keeping the last snapshot): {Error}")]
        public static partial void ResyncFailed(ILogger logger, string error);
    }
}
