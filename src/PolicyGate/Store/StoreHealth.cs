using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;
using PolicyGate.Operations;
using Prometheus;

namespace PolicyGate.Store;

/// <summary>
/// Whether the store answers (DESIGN §11/§12) and the database's clock. While it is down the node serves from its last
/// snapshots, admin writes fail at once with <see cref="StoreUnavailableException"/> (503), /readyz reports "degraded"
/// and <c>policygate_store_up</c> is 0; one audit entry marks the outage and one the recovery.
/// <see cref="Now"/> is this node's clock corrected by the offset to the database's clock measured at each probe, so
/// session TTLs and grant expiries follow one clock across the fleet, during an outage too (last measured offset).
/// </summary>
public sealed partial class StoreHealth(TimeProvider time, IServiceProvider services, ILogger<StoreHealth> logger)
{
    public static readonly Gauge StoreUp = Metrics.CreateGauge(
        "policygate_store_up", "1 while the store (SQLite or PostgreSQL) answers, 0 during an outage (the node serves from its last snapshot).");

    private readonly Lock _lock = new();
    private string? _downReason;
    private long _clockOffsetTicks;
    private readonly List<Func<CancellationToken, Task>> _recovered = [];

    /// <summary>Null while the store answers; else why not.</summary>
    public string? DownReason => Volatile.Read(ref _downReason);

    /// <summary>The database's clock (this node's clock plus the last measured offset).</summary>
    public DateTimeOffset Now => time.GetUtcNow() + ClockOffset;

    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>Registers work to run once the store answers again (resync every snapshot).</summary>
    public void OnRecovered(Func<CancellationToken, Task> handler)
    {
        lock (_lock)
        {
            _recovered.Add(handler);
        }
    }

    /// <summary>Throws <see cref="StoreUnavailableException"/> at once while the store is known to be down (never waits for a timeout).</summary>
    public void ThrowIfDown()
    {
        if (DownReason is string reason)
        {
            throw new StoreUnavailableException(reason);
        }
    }

    /// <summary>Records a probe's database clock reading taken between <paramref name="sent"/> and <paramref name="received"/> (local clock).</summary>
    public void ObserveClock(DateTimeOffset database, DateTimeOffset sent, DateTimeOffset received)
    {
        DateTimeOffset local = sent + ((received - sent) / 2);
        Interlocked.Exchange(ref _clockOffsetTicks, (database - local).Ticks);
    }

    public void ReportFailure(string reason)
    {
        lock (_lock)
        {
            if (_downReason is not null)
            {
                return;
            }

            Volatile.Write(ref _downReason, reason);
        }

        StoreUp.Set(0);
        Log.Down(logger, reason);
        Audit(new AuditEvent("store.outage", "error", "store unavailable: " + reason, "store", Details: new JsonObject { ["error"] = reason }));
    }

    /// <summary>Marks the store up; on a recovery runs the registered handlers (they resync every snapshot).</summary>
    public async Task ReportSuccessAsync(CancellationToken cancellationToken)
    {
        string? was;
        lock (_lock)
        {
            was = _downReason;
            Volatile.Write(ref _downReason, null);
        }

        StoreUp.Set(1);
        if (was is null)
        {
            return;
        }

        Log.Recovered(logger);
        Audit(new AuditEvent("store.recovered", "change", "store reachable again", "store", Details: new JsonObject { ["outage_error"] = was }));
        Func<CancellationToken, Task>[] handlers;
        lock (_lock)
        {
            handlers = [.. _recovered];
        }

        foreach (Func<CancellationToken, Task> handler in handlers)
        {
            try
            {
                await handler(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ResyncAfterRecoveryFailed(logger, e.Message);
            }
        }
    }

    private void Audit(AuditEvent entry) => services.GetService<IAuditLog>()?.Enqueue(entry);

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.StoreHealthDown, Level = LogLevel.Error, Message = "store unavailable, serving from the last snapshot: {Reason}")]
        public static partial void Down(ILogger logger, string reason);

        [LoggerMessage(EventId = LogEvents.StoreHealthRecovered, Level = LogLevel.Information, Message = "store reachable again; resyncing")]
        public static partial void Recovered(ILogger logger);

        [LoggerMessage(EventId = LogEvents.StoreHealthResyncAfterRecoveryFailed, Level = LogLevel.Warning, Message = "resync after store recovery failed (the periodic resync retries): {Error}")]
        public static partial void ResyncAfterRecoveryFailed(ILogger logger, string error);
    }
}
