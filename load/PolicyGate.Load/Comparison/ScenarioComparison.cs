namespace PolicyGate.Load.Comparison;

/// <summary>All targets of one scenario and the ratios of every PolicyGate variant to every other target.</summary>
public sealed record ScenarioComparison
{
    public required string Scenario { get; init; }
    public required string Metric { get; init; }
    public required IReadOnlyList<TargetSummary> Targets { get; init; }
    public required IReadOnlyList<RatioRow> Ratios { get; init; }
}
