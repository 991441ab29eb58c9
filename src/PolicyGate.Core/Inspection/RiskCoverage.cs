using PolicyGate.Core.Inspection.Detection;

namespace PolicyGate.Core.Inspection;

/// <summary>Which channel can flag which shared risk for one tenant (a channel that cannot see a risk never disagrees on it).</summary>
public readonly record struct RiskCoverage(bool LeakageByAutomaton, bool LeakageByRules, bool SecretByAutomaton, bool SecretByRules)
{
    /// <summary>Both channels cover both risks (unit tests, callers without a tenant profile).</summary>
    public static RiskCoverage All => new(true, true, true, true);

    /// <summary>
    /// E covers both risks only when the tenant has protected strings and `leakage` is on; F covers leakage with framing
    /// phrases and secrets with `entropy` or `secret_prefix`.
    /// </summary>
    public static RiskCoverage From(ScanProfile profile)
    {
        bool protectedStrings = profile.Leakage is not null;
        return new RiskCoverage(protectedStrings, profile.Framing?.HasPhrases == true, protectedStrings, profile.Entropy || profile.SecretPrefix);
    }
}
