namespace PolicyGate.Core.Audit;

/// <summary>Settings of one node's audit chain writer.</summary>
public sealed class AuditChainOptions
{
    public const long DefaultSegmentMaxBytes = 64L * 1024 * 1024;

    /// <summary>The audit directory (segments and checkpoints.jsonl).</summary>
    public required string Directory { get; init; }

    public required string NodeId { get; init; }

    public required AuditHmacKey HmacKey { get; init; }

    /// <summary>Signs checkpoints; null writes no checkpoints.</summary>
    public AuditSigningKey? SigningKey { get; init; }

    public AuditFsyncMode Fsync { get; init; } = AuditFsyncMode.Interval;

    /// <summary>A segment is rotated before an entry would make it larger than this.</summary>
    public long SegmentMaxBytes { get; init; } = DefaultSegmentMaxBytes;

    /// <summary>Signed checkpoint period, written even when idle; null or zero = only at close.</summary>
    public TimeSpan? CheckpointEvery { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Called on the writer task after each entry reaches the file (seq).</summary>
    public Action<long>? OnEntryWritten { get; init; }

    /// <summary>Called on the writer task after a signed checkpoint reaches the file (its seq and time).</summary>
    public Action<long, DateTimeOffset>? OnCheckpointWritten { get; init; }

    /// <summary>Called with a one-line message on recoveries (torn tail) and write failures.</summary>
    public Action<string>? OnWarning { get; init; }
}
