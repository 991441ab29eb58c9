namespace PolicyGate.Cluster;

/// <summary>Values of the outcome label of policygate_bundle_polls_total and of status.last_poll.outcome.</summary>
public static class BundlePollOutcomes
{
    public const string Ok = "ok";
    public const string NotModified = "not_modified";
    public const string Rejected = "rejected";
    public const string Unreachable = "unreachable";
}
