using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Core.Policy;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Core.Bundles;

/// <summary>
/// The policy a bundle carries, validated and compiled: global egress rules, port overrides by instance id, tenants
/// (the `inspection` section is the `default` tenant). Null members are sections the bundle does not carry.
/// </summary>
public sealed record BundleSections(
    IReadOnlyList<EgressRule>? EgressRules,
    IReadOnlyDictionary<string, PortPolicy>? PortOverrides,
    IReadOnlyList<TenantPolicy>? Tenants)
{
    public static BundleSections None { get; } = new(null, null, null);

    /// <summary>The names of the sections present (for status and audit).</summary>
    public IEnumerable<string> Names()
    {
        if (EgressRules is not null)
        {
            yield return "egress_rules";
        }

        if (PortOverrides is not null)
        {
            yield return "port_overrides";
        }

        if (Tenants is not null)
        {
            yield return "tenants";
        }
    }
}
