namespace PolicyGate.Load.Comparison;

/// <summary>One target's figures in one scenario over all rounds (medians, spread, disturbed count).</summary>
public sealed record TargetSummary
{
    public required string Target { get; init; }
    public string Status { get; init; } = "ok";
    public string? Reason { get; init; }
    public int Rounds { get; init; }
    public int DisturbedRounds { get; init; }
    public double Median { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }

    /// <summary>(max − min) / median, in percent.</summary>
    public double SpreadPercent { get; init; }
    public double MedianRequestsPerSecond { get; init; }
    public double MedianP50Ms { get; init; }
    public double MedianP99Ms { get; init; }
    public double? MedianProxyCpuUsPerRequest { get; init; }
    public double? MedianProxyCpuUsPerMB { get; init; }
    public double? MedianContextSwitchesPerRequest { get; init; }
    public double MedianClientCpuUsPerRequest { get; init; }
    public long Errors { get; init; }
}
