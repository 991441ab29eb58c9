using System.Diagnostics;
using System.Globalization;
using PolicyGate.Load.Measurement;

namespace PolicyGate.Load.Running;

/// <summary>Writes one live progress line to stderr every second while a run is going.</summary>
internal sealed class ProgressReporter : IDisposable
{
    private readonly ScenarioSettings _settings;
    private readonly LoadStats _stats;
    private readonly long _start;
    private readonly Timer _timer;
    private long _lastSteps;
    private volatile string _phase = "warmup";

    public ProgressReporter(ScenarioSettings settings, LoadStats stats, long start)
    {
        _settings = settings;
        _stats = stats;
        _start = start;
        _timer = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void MarkMeasuring() => _phase = "measure";

    private void Tick()
    {
        long steps = _stats.AllSteps;
        long delta = steps - Interlocked.Exchange(ref _lastSteps, steps);
        double elapsed = (Stopwatch.GetTimestamp() - _start) / (double)Stopwatch.Frequency;
        double total = (_settings.Warmup + _settings.Duration).TotalSeconds;
        string p99 = _stats.Latency.TotalCount > 0 ? (_stats.Latency.GetValueAtPercentile(99) / 1000.0).ToString("0.00", CultureInfo.InvariantCulture) : "-";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{_settings.Scenario} {_settings.Target} r{_settings.Round}] {_phase} {elapsed:0}/{total:0}s  {delta}/s  ok={_stats.Requests} err={_stats.Failures} p99={p99}ms"));
    }

    public void Dispose() => _timer.Dispose();
}
