namespace PolicyGate.Load.Comparison;

/// <summary>A PolicyGate variant divided by a peer: throughput ratio (median of per-round ratios, min, max) and CPU-per-request ratio.</summary>
public sealed record RatioRow
{
    public required string Scenario { get; init; }
    public required string Subject { get; init; }
    public required string Peer { get; init; }
    public string Status { get; init; } = "ok";
    public string? Reason { get; init; }
    public int PairedRounds { get; init; }
    public double Median { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }
    public double? CpuPerRequestRatio { get; init; }

    /// <summary>Subject p99 minus peer p99 (ms, medians): the latency the subject adds over the peer.</summary>
    public double? AddedP99Ms { get; init; }
}
