namespace PolicyGate.Load.Comparison;

/// <summary>One target measured in two related scenarios (e.g. PROXY header off and on): variant ÷ base.</summary>
public sealed record ScenarioPairRow(string Base, string Variant, string Target, double ThroughputRatio, double? CpuPerRequestBase, double? CpuPerRequestVariant);
