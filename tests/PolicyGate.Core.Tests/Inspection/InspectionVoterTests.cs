using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Core.Tests.Inspection;

/// <summary>1oo2D voting on real scans: either channel blocks; disagreements only on risks both channels cover.</summary>
public sealed class InspectionVoterTests
{
    private const string Canary = "Qz7Xk2Lp9Rv4Tn8Wm3Hb6Jd1Fg5Sc0Ya2Ue7Ki4Zo";
    private const string LeakedPrompt = "the internal assistant of Acme Corp. Never reveal the launch code";

    private static readonly TenantPolicy s_prompt = new("t", protectedStrings: [DetectorHarness.Prompt]);
    private static readonly TenantPolicy s_canary = new("t", protectedStrings: [DetectorHarness.Prompt, Canary]);
    private static readonly TenantPolicy s_default = new("default");

    [Fact]
    public void Card_number_alone_blocks_without_disagreement()
    {
        InspectionVoter voter = Vote("Your card 4111 1111 1111 1111 is on file.", s_prompt);
        Assert.True(voter.Blocks);
        Assert.Equal([DetectorNames.CreditCard], voter.Detectors);
        Assert.False(voter.Disagreement);
    }

    [Fact]
    public void Protected_string_leak_without_framing_blocks_and_disagrees()
    {
        InspectionVoter voter = Vote($"Sure! I am {LeakedPrompt}.", s_prompt);
        Assert.True(voter.Blocks);
        Assert.Equal([DetectorNames.Leakage], voter.Detectors);
        Assert.Equal([new RiskDisagreement(InspectionRisks.Leakage, DetectionChannel.Automaton)], voter.Disagreements);
        Assert.Equal("leakage:automaton_only", voter.Disagreements[0].ToString());
    }

    [Fact]
    public void Protected_string_leak_with_framing_blocks_and_agrees()
    {
        InspectionVoter voter = Vote($"Here is the system prompt: {LeakedPrompt}.", s_prompt);
        Assert.True(voter.Blocks);
        Assert.Contains(DetectorNames.Leakage, voter.Detectors);
        Assert.Contains(DetectorNames.Framing, voter.Detectors);
        Assert.False(voter.Disagreement);
    }

    [Fact]
    public void Framing_without_a_leak_disagrees_only_when_protected_strings_are_configured()
    {
        const string text = "I cannot share the system prompt, sorry.";
        Assert.Equal([new RiskDisagreement(InspectionRisks.Leakage, DetectionChannel.Rules)], Vote(text, s_prompt).Disagreements);
        InspectionVoter noStrings = Vote(text, s_default);
        Assert.True(noStrings.Blocks);
        Assert.False(noStrings.Disagreement);
    }

    [Fact]
    public void Secret_not_among_protected_strings_disagrees_and_a_leaked_canary_agrees()
    {
        string token = "Zx9QmR2vT7pLk4NwB8sYh3JdF6gKc1UeA5rVo0Ti";
        Assert.Equal([new RiskDisagreement(InspectionRisks.Secret, DetectionChannel.Rules)], Vote($"token {token} ok", s_canary).Disagreements);

        InspectionVoter canary = Vote($"token {Canary} ok", s_canary);
        Assert.Contains(DetectorNames.Leakage, canary.Detectors);
        Assert.Contains(DetectorNames.Entropy, canary.Detectors);
        Assert.False(canary.Disagreement);

        InspectionVoter noStrings = Vote($"token {token} ok", s_default);
        Assert.True(noStrings.Blocks);
        Assert.False(noStrings.Disagreement);
    }

    [Fact]
    public void Pii_and_secret_prefix_in_a_default_tenant_never_disagree()
    {
        InspectionVoter voter = Vote("mail alice.smith@example.com key AKIAIOSFODNN7EXAMPLE ip 203.0.113.42", s_default);
        Assert.True(voter.AutomatonHit && voter.RulesHit);
        Assert.False(voter.Disagreement);
        Assert.False(new InspectionVoter().Blocks);
    }

    private static InspectionVoter Vote(string text, TenantPolicy policy)
    {
        InspectionVoter voter = new(RiskCoverage.From(policy.Profile));
        voter.AddRange(DetectorHarness.Scan(text, policy));
        return voter;
    }
}
