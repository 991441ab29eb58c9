using System.Collections.Concurrent;
using PolicyGate.Core.Audit;

namespace PolicyGate.Tests.Http;

/// <summary>Records audit events in memory (stand-in for the chain of branch audit; the entries asserted are what it would write).</summary>
internal sealed class RecordingAuditLog : IAuditLog
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
