namespace PolicyGate.Core.Audit;

/// <summary>When the chain writer fsyncs entries (audit.fsync).</summary>
public enum AuditFsyncMode
{
    /// <summary>Every entry is fsynced before the next batch.</summary>
    Always,

    /// <summary>Entries are fsynced at most one second after they are written; durable appends always fsync.</summary>
    Interval,
}
