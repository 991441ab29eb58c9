using PolicyGate.Core.Policy;

namespace PolicyGate.Store;

/// <summary>One fetch attempt's result: a policy, a transient failure (retry) or a permanent one (stop, cache nothing).</summary>
internal readonly record struct PortPolicyFetchOutcome(PortPolicy? Policy, bool Transient, string Error)
{
    public static PortPolicyFetchOutcome Success(PortPolicy policy) => new(policy, false, "");

    public static PortPolicyFetchOutcome Retry(string error) => new(null, true, error);

    public static PortPolicyFetchOutcome Permanent(string error) => new(null, false, error);
}
