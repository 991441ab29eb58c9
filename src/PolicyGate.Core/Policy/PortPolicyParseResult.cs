namespace PolicyGate.Core.Policy;

/// <summary>Outcome of parsing a port policy: the policy, or a precise error naming the field (never both).</summary>
public readonly record struct PortPolicyParseResult(PortPolicy? Policy, string? Error)
{
    public bool IsValid => Error is null;

    public static PortPolicyParseResult Ok(PortPolicy policy) => new(policy, null);

    public static PortPolicyParseResult Fail(string error) => new(null, error);
}
