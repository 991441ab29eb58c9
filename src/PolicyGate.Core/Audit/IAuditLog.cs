namespace PolicyGate.Core.Audit;

/// <summary>The node's tamper-evident audit chain (HMAC-chained JSON lines).</summary>
public interface IAuditLog
{
    /// <summary>Queues an entry without blocking (hot path); returns the seq it was given.</summary>
    long Enqueue(AuditEvent entry);

    /// <summary>Appends an entry and completes once it is written and flushed to disk (fsync); returns its seq. Use before acting on a block.</summary>
    ValueTask<long> AppendDurableAsync(AuditEvent entry, CancellationToken cancellationToken = default);
}
