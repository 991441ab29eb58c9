namespace PolicyGate.Core.Audit;

/// <summary>Where an existing chain ends: its last seq and mac, the segment to append to, and what recovery found.</summary>
public sealed record AuditChainHead(long LastSeq, string LastMac, string? SegmentPath, long SegmentFirstSeq, IReadOnlyList<AuditTornTail> TornTails);
