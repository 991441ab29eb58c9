namespace PolicyGate.Core.Inspection;

/// <summary>One shared risk that only <paramref name="FlaggedBy"/> flagged although the other channel covers it too.</summary>
public readonly record struct RiskDisagreement(string Risk, DetectionChannel FlaggedBy)
{
    /// <summary>`leakage:automaton_only`, `secret:rules_only` (audit reason).</summary>
    public override string ToString() => $"{Risk}:{(FlaggedBy == DetectionChannel.Automaton ? "automaton" : "rules")}_only";
}
