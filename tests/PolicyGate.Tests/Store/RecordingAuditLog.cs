using System.Collections.Concurrent;
using PolicyGate.Core.Audit;

namespace PolicyGate.Tests.Store;

/// <summary>Records audit events in memory, for tests of components built without a host (no audit chain running).</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    private long _seq;

    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public long Enqueue(AuditEvent entry)
    {
        Events.Enqueue(entry);
        return Interlocked.Increment(ref _seq);
    }

    public ValueTask<long> AppendDurableAsync(AuditEvent entry, CancellationToken cancellationToken = default) => ValueTask.FromResult(Enqueue(entry));
}
