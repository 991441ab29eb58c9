using System.Diagnostics;
using PolicyGate.Load.Clients;
using PolicyGate.Load.Measurement;
using PolicyGate.Load.Simulations;

namespace PolicyGate.Load.Running;

/// <summary>Runs one scenario: warm-up, then a measured window bounded by duration and request count, then the numbers.</summary>
public sealed class ScenarioRunner(ScenarioSettings settings, ILoadClient client)
{
    private static readonly TimeSpan s_errorBackoff = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(5);

    private readonly LoadStats _stats = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private long _reserved;
    private long _runStart;

    public LoadStats Stats => _stats;

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        DateTime startedUtc = DateTime.UtcNow;
        _runStart = Stopwatch.GetTimestamp();
        using CancellationTokenRegistration outer = cancellationToken.Register(() => _enough.TrySetResult());
        List<Task> workers = StartWorkers();
        using ProgressReporter? progress = settings.Progress ? new ProgressReporter(settings, _stats, _runStart) : null;

        await Task.WhenAny(Task.Delay(settings.Warmup, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default), _enough.Task);
        IReadOnlyList<int> proxyPids = ProcStat.ProcessTree(settings.ProxyPids);
        IReadOnlyList<int> backendPids = ProcStat.ProcessTree(settings.BackendPids);
        double loadAverage = ProcStat.LoadAverage1();
        CpuSnapshot before = CpuSnapshot.Take(proxyPids, backendPids);
        _stats.Measuring = true;
        progress?.MarkMeasuring();

        await Task.WhenAny(Task.Delay(settings.Duration, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default), _enough.Task);
        _stats.Measuring = false;
        CpuSnapshot after = CpuSnapshot.Take(proxyPids, backendPids);
        _stopping = true;

        Task all = Task.WhenAll(workers);
        if (await Task.WhenAny(all, Task.Delay(s_drainGrace, CancellationToken.None)) != all)
        {
            await _hardStop.CancelAsync();
            await Task.WhenAny(all, Task.Delay(s_drainGrace, CancellationToken.None));
        }

        return ResultBuilder.Build(settings, _stats, before, after, startedUtc, loadAverage, proxyPids.Count > 0, backendPids.Count > 0);
    }

    private List<Task> StartWorkers()
    {
        List<Task> workers = [];
        switch (settings.Simulation)
        {
            case ClosedLoopSimulation closed:
                for (int i = 0; i < closed.Connections; i++)
                {
                    workers.Add(Task.Run(() => ClosedLoopAsync(TimeSpan.Zero)));
                }

                break;
            case RampSimulation ramp:
                TimeSpan total = settings.Warmup + settings.Duration;
                int extra = ramp.To - ramp.From;
                for (int i = 0; i < ramp.To; i++)
                {
                    TimeSpan delay = i < ramp.From || extra == 0 ? TimeSpan.Zero : total * (i - ramp.From + 1) / (extra + 1);
                    workers.Add(Task.Run(() => ClosedLoopAsync(delay)));
                }

                break;
            case ConstantRateSimulation rate:
                workers.Add(Task.Run(() => new OpenLoopScheduler(rate, client, _stats, () => _stopping, _hardStop.Token).RunAsync()));
                break;
        }

        return workers;
    }

    private async Task ClosedLoopAsync(TimeSpan startDelay)
    {
        if (startDelay > TimeSpan.Zero)
        {
            await SleepUnlessStoppingAsync(startDelay);
        }

        await using ILoadConnection connection = client.CreateConnection();
        while (!_stopping)
        {
            if (!TryReserveRequest())
            {
                _enough.TrySetResult();
                return;
            }

            long start = Stopwatch.GetTimestamp();
            try
            {
                long bytes = await connection.ExecuteAsync(_hardStop.Token);
                _stats.RecordSuccess(start, bytes);
            }
            catch (LoadStepException e)
            {
                _stats.RecordFailure(e.Kind);
                await SleepUnlessStoppingAsync(s_errorBackoff);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (settings.MaxRequests > 0 && _stats.Measuring && _stats.Requests + _stats.Failures >= settings.MaxRequests)
            {
                _enough.TrySetResult();
            }
        }
    }

    /// <summary>
    /// The request-count bound: a closed-loop worker takes a slot before it sends, so in-flight requests on other
    /// connections cannot push the measured count past --max-requests.
    /// </summary>
    private bool TryReserveRequest() =>
        settings.MaxRequests <= 0 || !_stats.Measuring || Interlocked.Increment(ref _reserved) <= settings.MaxRequests;

    private async Task SleepUnlessStoppingAsync(TimeSpan delay)
    {
        // Bounded: sleeps in slices of at most 100 ms, and never past the stop flag.
        long until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        while (!_stopping && Stopwatch.GetTimestamp() < until)
        {
            long left = (until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            await Task.Delay((int)Math.Clamp(left, 1, 100));
        }
    }
}
