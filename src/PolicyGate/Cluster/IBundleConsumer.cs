using PolicyGate.Core.Bundles;

namespace PolicyGate.Cluster;

/// <summary>A policy layer fed by the active bundle (egress global rules, port overrides, tenants); rebuilds its snapshot when called.</summary>
public interface IBundleConsumer
{
    /// <summary>Replaces this layer's bundle part with <paramref name="sections"/> (<see cref="BundleSections.None"/> = no bundle).</summary>
    void ApplyBundle(BundleSections sections);
}
