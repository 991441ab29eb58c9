using System.Globalization;
using System.Text.Json.Nodes;
using Prometheus;

namespace PolicyGate.Audit;

/// <summary>policygate_audit_entries_total, policygate_audit_last_seq and the last checkpoint's time (DESIGN §11 metrics).</summary>
public static class AuditMetrics
{
    private static readonly Counter s_entries = Metrics.CreateCounter("policygate_audit_entries_total", "Audit chain entries written to disk.");
    private static readonly Gauge s_lastSeq = Metrics.CreateGauge("policygate_audit_last_seq", "Seq of the last audit chain entry written.");

    // Absent until a checkpoint is known: a 0 would read as "last checkpoint in 1970" and fire the checkpoint-late alert.
    private static readonly Gauge s_lastCheckpoint = Metrics.CreateGauge(
        "policygate_audit_last_checkpoint_timestamp_seconds",
        "Unix time of the last signed audit checkpoint written (every audit.checkpoint_every, even when idle).",
        new GaugeConfiguration { SuppressInitialValue = true });

    /// <summary>Called by the writer after an entry reaches the file.</summary>
    public static void EntryWritten(long seq)
    {
        s_entries.Inc();
        s_lastSeq.Set(seq);
    }

    /// <summary>Called by the writer after a checkpoint reaches checkpoints.jsonl.</summary>
    public static void CheckpointWritten(long seq, DateTimeOffset ts) => s_lastCheckpoint.Set(ts.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>Publishes the resumed head and the newest checkpoint on disk at startup.</summary>
    public static void Resumed(long lastSeq, JsonObject? lastCheckpoint)
    {
        s_lastSeq.Set(lastSeq);
        if (lastCheckpoint?["ts"] is JsonValue ts && ts.TryGetValue(out string? text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
        {
            s_lastCheckpoint.Set(at.ToUnixTimeMilliseconds() / 1000.0);
        }
    }
}
