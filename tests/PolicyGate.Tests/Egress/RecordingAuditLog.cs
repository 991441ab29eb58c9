using System.Collections.Concurrent;
using PolicyGate.Core.Audit;

namespace PolicyGate.Tests.Egress;

/// <summary>
/// Test-only IAuditLog: the real chain lives on branch `audit`, not merged here yet, so egress tests register this recorder
/// through TestNode.StartAsync(options, services => ...) to observe what the proxy and the admin API audit.
/// </summary>
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
