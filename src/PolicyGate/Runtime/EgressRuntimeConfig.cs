using PolicyGate.Configuration;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Runtime;

/// <summary>The reloadable egress keys: the default mode of unknown containers and the built-in loopback allowance.</summary>
public sealed record EgressRuntimeConfig(EgressMode DefaultMode, bool BuiltinLoopback)
{
    /// <summary>Compiles [egress]; throws <see cref="FormatException"/> on a mode other than strict or learn.</summary>
    public static EgressRuntimeConfig From(EgressOptions egress) => EgressNames.TryParseMode(egress.DefaultMode, out EgressMode mode)
        ? new EgressRuntimeConfig(mode, egress.BuiltinLoopback)
        : throw new FormatException($"egress.default_mode: '{egress.DefaultMode}' must be strict or learn");
}
