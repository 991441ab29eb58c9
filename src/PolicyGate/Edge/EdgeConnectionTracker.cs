using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PolicyGate.Runtime;

namespace PolicyGate.Edge;

/// <summary>
/// Live edge connections: per-app counts for max_connections_per_app (DESIGN §4.8) and one reaper timer for every relay's
/// idle/total timeouts (each relay keeps the timeouts of the runtime config it was accepted under) and the graceful drain on
/// shutdown (no timer per connection).
/// </summary>
internal sealed class EdgeConnectionTracker : IDisposable
{
    private readonly RuntimeConfigProvider _runtime;
    private readonly ConcurrentDictionary<string, StrongBox<int>> _perApp = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<RelayActivity, byte> _relays = new();
    private readonly Timer _reaper;
    private readonly IDisposable _onChange;
    private long _drainDeadline = long.MaxValue;

    public EdgeConnectionTracker(RuntimeConfigProvider runtime, IHostApplicationLifetime? lifetime)
    {
        _runtime = runtime;
        TimeSpan period = ReapPeriod(runtime.Current.Edge.Timeouts);
        _reaper = new Timer(static s => ((EdgeConnectionTracker)s!).Reap(), this, period, period);
        // A reload may shorten the timeouts: new relays must be reaped at their (shorter) deadline too.
        _onChange = runtime.OnChange(config =>
        {
            TimeSpan next = ReapPeriod(config.Edge.Timeouts);
            _reaper.Change(next, next);
        });
        lifetime?.ApplicationStopping.Register(static s => ((EdgeConnectionTracker)s!).BeginDrain(), this);
    }

    /// <summary>True once shutdown began: new connections are refused, live relays get edge.timeouts.shutdown to finish.</summary>
    public bool Draining => Volatile.Read(ref _drainDeadline) != long.MaxValue;

    /// <summary>Counts a live connection of <paramref name="appId"/>; false (nothing counted) when the app already has <paramref name="limit"/>.</summary>
    public bool TryAcquireApp(string appId, int limit)
    {
        StrongBox<int> box = _perApp.GetOrAdd(appId, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref box.Value) > limit)
        {
            Interlocked.Decrement(ref box.Value);
            return false;
        }

        return true;
    }

    public void ReleaseApp(string appId)
    {
        if (_perApp.TryGetValue(appId, out StrongBox<int>? box))
        {
            Interlocked.Decrement(ref box.Value);
        }
    }

    /// <summary>Starts tracking a relay that is reaped after <paramref name="timeouts"/>' idle and total limits.</summary>
    public RelayActivity StartRelay(EdgeTimeouts timeouts)
    {
        RelayActivity activity = new(timeouts.Idle, timeouts.Total);
        _relays.TryAdd(activity, 0);
        if (Draining)
        {
            activity.Abort("shutdown");
        }

        return activity;
    }

    public void EndRelay(RelayActivity activity)
    {
        _relays.TryRemove(activity, out _);
        activity.Dispose();
    }

    private static TimeSpan ReapPeriod(EdgeTimeouts timeouts)
    {
        TimeSpan shortest = new[] { timeouts.Idle, timeouts.Total, timeouts.Shutdown }.Min();
        return TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 50, 1000));
    }

    // edge.timeouts.shutdown is restart-only: the value read here is the one the host's shutdown timeout was sized for.
    private void BeginDrain() =>
        Volatile.Write(ref _drainDeadline, Environment.TickCount64 + (long)_runtime.Current.Edge.Timeouts.Shutdown.TotalMilliseconds);

    private void Reap()
    {
        long now = Environment.TickCount64;
        bool drained = now >= Volatile.Read(ref _drainDeadline);
        foreach (RelayActivity relay in _relays.Keys)
        {
            if (drained)
            {
                relay.Abort("shutdown");
            }
            else if (now - relay.LastProgress >= relay.IdleMilliseconds)
            {
                relay.Abort("idle");
            }
            else if (now - relay.StartedAt >= relay.TotalMilliseconds)
            {
                relay.Abort("total");
            }
        }
    }

    public void Dispose()
    {
        _onChange.Dispose();
        _reaper.Dispose();
    }
}
