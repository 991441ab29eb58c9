using PolicyGate.Operations;

namespace PolicyGate.Cluster;

/// <summary>/readyz on a follower: not ready until a bundle (fetched or last-known-good) is active.</summary>
public sealed class BundleReadinessCheck(ActiveBundle active) : IReadinessCheck
{
    public string Name => "bundle";

    public string? Check() => active.Current is null ? "no policy bundle active yet (no last-known-good, leader not answered)" : null;
}
