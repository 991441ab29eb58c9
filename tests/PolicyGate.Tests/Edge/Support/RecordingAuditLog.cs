using System.Collections.Concurrent;
using PolicyGate.Core.Audit;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>Test-only audit log (the audit chain branch is not merged yet): keeps every entry the edge enqueues.</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    private long _seq;

    public ConcurrentQueue<AuditEvent> Entries { get; } = new();

    public long Enqueue(AuditEvent entry)
    {
        Entries.Enqueue(entry);
        return Interlocked.Increment(ref _seq);
    }

    public ValueTask<long> AppendDurableAsync(AuditEvent entry, CancellationToken cancellationToken = default) => ValueTask.FromResult(Enqueue(entry));
}
