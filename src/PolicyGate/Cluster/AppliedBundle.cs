using PolicyGate.Core.Bundles;

namespace PolicyGate.Cluster;

/// <summary>The bundle whose policy this node enforces, when it was applied and where it came from (leader, admin, last_known_good).</summary>
public sealed record AppliedBundle(VerifiedBundle Bundle, DateTimeOffset AppliedAt, string Source)
{
    public BundlePayload Payload => Bundle.Payload;
}
