using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace PolicyGate.Load.Measurement;

/// <summary>Counters and the latency histogram of one run; only steps finishing while <see cref="Measuring"/> is set count.</summary>
public sealed class LoadStats
{
    private readonly LongConcurrentHistogram _latency = new(1, TimeStamp.Hours(1), 3);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _requests;
    private long _failures;
    private long _bytes;
    private long _allSteps;
    private volatile bool _measuring;

    /// <summary>Set between the end of warm-up and the end of the run.</summary>
    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    public long Requests => Interlocked.Read(ref _requests);
    public long Failures => Interlocked.Read(ref _failures);
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Every finished step, warm-up included (for the progress line).</summary>
    public long AllSteps => Interlocked.Read(ref _allSteps);

    public HistogramBase Latency => _latency;

    public IReadOnlyDictionary<string, long> ErrorsByKind => _errors;

    /// <summary>Records a successful step that started at <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void RecordSuccess(long startTimestamp, long bytes)
    {
        Interlocked.Increment(ref _allSteps);
        if (!_measuring)
        {
            return;
        }

        _latency.RecordValue(Math.Max(1, ElapsedMicroseconds(startTimestamp)));
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>Records a failed step by kind.</summary>
    public void RecordFailure(string kind)
    {
        Interlocked.Increment(ref _allSteps);
        if (!_measuring)
        {
            return;
        }

        Interlocked.Increment(ref _failures);
        _errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);
    }

    public static long ElapsedMicroseconds(long startTimestamp) =>
        (Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000 / Stopwatch.Frequency;

    private static class TimeStamp
    {
        public static long Hours(int hours) => hours * 3600L * 1_000_000L;
    }
}
