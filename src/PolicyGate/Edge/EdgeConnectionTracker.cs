using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>
/// Live edge connections: per-app counts for max_connections_per_app (DESIGN §4.8) and one reaper timer for every relay's
/// idle/total timeouts and the graceful drain on shutdown (no timer per connection).
/// </summary>
internal sealed class EdgeConnectionTracker : IDisposable
{
    private readonly PolicyGateOptions _options;
    private readonly ConcurrentDictionary<string, StrongBox<int>> _perApp = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<RelayActivity, byte> _relays = new();
    private readonly Timer _reaper;
    private long _drainDeadline = long.MaxValue;

    public EdgeConnectionTracker(PolicyGateOptions options, IHostApplicationLifetime? lifetime)
    {
        _options = options;
        TimeSpan shortest = new[] { options.Edge.Timeouts.Idle, options.Edge.Timeouts.Total, options.Edge.Timeouts.Shutdown }.Min();
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 50, 1000));
        _reaper = new Timer(static s => ((EdgeConnectionTracker)s!).Reap(), this, period, period);
        lifetime?.ApplicationStopping.Register(static s => ((EdgeConnectionTracker)s!).BeginDrain(), this);
    }

    /// <summary>True once shutdown began: new connections are refused, live relays get edge.timeouts.shutdown to finish.</summary>
    public bool Draining => Volatile.Read(ref _drainDeadline) != long.MaxValue;

    /// <summary>Counts a live connection of <paramref name="appId"/>; false (nothing counted) when the app is at its limit.</summary>
    public bool TryAcquireApp(string appId)
    {
        StrongBox<int> box = _perApp.GetOrAdd(appId, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref box.Value) > _options.Edge.MaxConnectionsPerApp)
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

    public RelayActivity StartRelay()
    {
        RelayActivity activity = new();
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

    private void BeginDrain() =>
        Volatile.Write(ref _drainDeadline, Environment.TickCount64 + (long)_options.Edge.Timeouts.Shutdown.TotalMilliseconds);

    private void Reap()
    {
        long now = Environment.TickCount64;
        long idle = (long)_options.Edge.Timeouts.Idle.TotalMilliseconds;
        long total = (long)_options.Edge.Timeouts.Total.TotalMilliseconds;
        bool drained = now >= Volatile.Read(ref _drainDeadline);
        foreach (RelayActivity relay in _relays.Keys)
        {
            if (drained)
            {
                relay.Abort("shutdown");
            }
            else if (now - relay.LastProgress >= idle)
            {
                relay.Abort("idle");
            }
            else if (now - relay.StartedAt >= total)
            {
                relay.Abort("total");
            }
        }
    }

    public void Dispose() => _reaper.Dispose();
}
