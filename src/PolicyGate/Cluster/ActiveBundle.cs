using PolicyGate.Core.Bundles;
using PolicyGate.Egress;
using PolicyGate.Inspection;
using PolicyGate.Store;

namespace PolicyGate.Cluster;

/// <summary>
/// The bundle this node enforces. Activation hands its sections to each policy layer in a fixed order (egress_rules → global
/// egress layer, port_overrides → admin overrides, tenants/inspection → tenant set); a layer that fails restores the previous sections.
/// </summary>
public sealed class ActiveBundle(IServiceProvider services)
{
    private readonly Lock _lock = new();
    private AppliedBundle? _current;

    public AppliedBundle? Current => Volatile.Read(ref _current);

    public BundleSections Sections => Current?.Payload.Sections ?? BundleSections.None;

    /// <summary>Swaps the active bundle and rebuilds every layer from it.</summary>
    public void Activate(AppliedBundle next)
    {
        lock (_lock)
        {
            AppliedBundle? previous = _current;
            try
            {
                Apply(next.Payload.Sections);
            }
            catch
            {
                Apply(previous?.Payload.Sections ?? BundleSections.None);
                throw;
            }

            Volatile.Write(ref _current, next);
        }
    }

    private void Apply(BundleSections sections)
    {
        foreach (IBundleConsumer consumer in Consumers())
        {
            consumer.ApplyBundle(sections);
        }
    }

    private IEnumerable<IBundleConsumer> Consumers() =>
        new object?[] { services.GetService<EgressStore>(), services.GetService<InstanceRegistry>(), services.GetService<TenantCatalog>() }
            .OfType<IBundleConsumer>();
}
