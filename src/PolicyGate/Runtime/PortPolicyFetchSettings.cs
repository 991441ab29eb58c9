using PolicyGate.Configuration;

namespace PolicyGate.Runtime;

/// <summary>port_policy_fetch.*, compiled: read once per fetch by the fetch worker.</summary>
public sealed record PortPolicyFetchSettings(int AgentPort, string Path, TimeSpan Timeout, int MaxRetries, TimeSpan BackoffInitial, TimeSpan BackoffMax)
{
    public static PortPolicyFetchSettings From(PortPolicyFetchOptions o) =>
        new(o.AgentPort, o.Path.StartsWith('/') ? o.Path : "/" + o.Path, o.Timeout, o.MaxRetries, o.BackoffInitial, o.BackoffMax);
}
