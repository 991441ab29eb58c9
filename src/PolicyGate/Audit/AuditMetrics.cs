using Prometheus;

namespace PolicyGate.Audit;

/// <summary>policygate_audit_entries_total and policygate_audit_last_seq (DESIGN §11 metrics).</summary>
public static class AuditMetrics
{
    private static readonly Counter s_entries = Metrics.CreateCounter("policygate_audit_entries_total", "Audit chain entries written to disk.");
    private static readonly Gauge s_lastSeq = Metrics.CreateGauge("policygate_audit_last_seq", "Seq of the last audit chain entry written.");

    /// <summary>Called by the writer after an entry reaches the file.</summary>
    public static void EntryWritten(long seq)
    {
        s_entries.Inc();
        s_lastSeq.Set(seq);
    }

    /// <summary>Publishes the resumed head at startup.</summary>
    public static void Resumed(long lastSeq) => s_lastSeq.Set(lastSeq);
}
