using PolicyGate.Configuration;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Edge;

namespace PolicyGate.Runtime;

/// <summary>
/// The reloadable egress keys: the default mode of unknown containers, the built-in loopback allowance, and the peers whose
/// Basic user name is believed without a credential.
/// </summary>
public sealed record EgressRuntimeConfig(EgressMode DefaultMode, bool BuiltinLoopback, TrustedProxySet TrustedIdentitySources)
{
    /// <summary>Compiles [egress]; throws <see cref="FormatException"/> on a mode other than strict or learn or a bad CIDR.</summary>
    public static EgressRuntimeConfig From(EgressOptions egress, bool production = false) => EgressNames.TryParseMode(egress.DefaultMode, out EgressMode mode)
        ? new EgressRuntimeConfig(mode, egress.BuiltinLoopback, TrustedProxySet.Parse(egress.EffectiveTrustedIdentitySources(production)))
        : throw new FormatException($"egress.default_mode: '{egress.DefaultMode}' must be strict or learn");
}
