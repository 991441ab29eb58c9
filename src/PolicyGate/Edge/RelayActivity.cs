namespace PolicyGate.Edge;

/// <summary>Progress clock of one live relay; the tracker's reaper aborts it when idle, over its total time or past the shutdown drain.</summary>
internal sealed class RelayActivity : IDisposable
{
    private readonly CancellationTokenSource _abort = new();
    private long _lastProgress = Environment.TickCount64;

    public RelayActivity(TimeSpan idle, TimeSpan total)
    {
        IdleMilliseconds = (long)idle.TotalMilliseconds;
        TotalMilliseconds = (long)total.TotalMilliseconds;
    }

    public long StartedAt { get; } = Environment.TickCount64;

    /// <summary>edge.timeouts.idle of the runtime config the relay started under.</summary>
    public long IdleMilliseconds { get; }

    /// <summary>edge.timeouts.total of the runtime config the relay started under.</summary>
    public long TotalMilliseconds { get; }

    public long LastProgress => Volatile.Read(ref _lastProgress);

    /// <summary>Cancelled when the relay must stop (idle, total, shutdown).</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>Why the reaper stopped the relay (null while running).</summary>
    public string? AbortReason { get; private set; }

    /// <summary>Records progress in either direction (one volatile write; no allocation).</summary>
    public void Touch() => Volatile.Write(ref _lastProgress, Environment.TickCount64);

    public void Abort(string reason)
    {
        AbortReason ??= reason;
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Runs both directions of a relay: aborting closes the backend socket (ending any pending I/O on it); when the backend's
    /// direction ends first the client's ends too (the client connection is closed once the backend's bytes are delivered).
    /// </summary>
    public async Task RunAsync(System.Net.Sockets.Socket backend, Func<CancellationToken, Task> upstream, Func<CancellationToken, Task> downstream)
    {
        using CancellationTokenRegistration closeBackend = Aborted.UnsafeRegister(static s => ((System.Net.Sockets.Socket)s!).Dispose(), backend);
        Task up = upstream(Aborted);
        Task down = downstream(Aborted);
        if (await Task.WhenAny(up, down) == down)
        {
            Abort("backend closed");
        }

        await Task.WhenAll(up, down);
    }

    public void Dispose() => _abort.Dispose();
}
