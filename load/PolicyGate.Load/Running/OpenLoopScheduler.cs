using System.Collections.Concurrent;
using System.Diagnostics;
using PolicyGate.Load.Clients;
using PolicyGate.Load.Measurement;
using PolicyGate.Load.Simulations;

namespace PolicyGate.Load.Running;

/// <summary>Starts requests on a fixed schedule; latency is measured from the intended start (no coordinated omission).</summary>
internal sealed class OpenLoopScheduler(ConstantRateSimulation rate, ILoadClient client, LoadStats stats, Func<bool> stopping, CancellationToken hardStop)
{
    private readonly ConcurrentBag<ILoadConnection> _idle = [];
    private readonly List<ILoadConnection> _all = [];
    private int _inFlight;

    public async Task RunAsync()
    {
        long start = Stopwatch.GetTimestamp();
        double ticksPerRequest = (double)Stopwatch.Frequency / rate.RatePerSecond;
        List<Task> running = [];
        for (long i = 0; !stopping(); i++)
        {
            long intended = start + (long)(i * ticksPerRequest);
            long wait = (intended - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait > 0)
            {
                await Task.Delay((int)Math.Min(wait, 100));
                if (Stopwatch.GetTimestamp() < intended)
                {
                    i--;
                    continue;
                }
            }

            if (Volatile.Read(ref _inFlight) >= rate.MaxInFlight)
            {
                stats.RecordFailure("overload");
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            running.Add(StepAsync(intended));
            if (running.Count > 4096)
            {
                running.RemoveAll(static t => t.IsCompleted);
            }
        }

        await Task.WhenAll(running);
        foreach (ILoadConnection connection in _all)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task StepAsync(long intended)
    {
        if (!_idle.TryTake(out ILoadConnection? connection))
        {
            connection = client.CreateConnection();
            lock (_all)
            {
                _all.Add(connection);
            }
        }

        try
        {
            long bytes = await connection.ExecuteAsync(hardStop);
            stats.RecordSuccess(intended, bytes);
        }
        catch (LoadStepException e)
        {
            stats.RecordFailure(e.Kind);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _idle.Add(connection);
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
