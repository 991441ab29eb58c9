using PolicyGate.Runtime;

namespace PolicyGate.Operations;

/// <summary>
/// A component with state of its own to rebuild on SIGHUP / POST /api/v1/reload (tenants, egress rule set); called before the
/// new <see cref="RuntimeConfig"/> is published. Throw to reject: this component keeps its state and nothing is published.
/// </summary>
public interface IReloadable
{
    /// <summary>Applies <paramref name="next"/> atomically or throws with a one-line reason (old state kept).</summary>
    Task ReloadAsync(RuntimeConfig next, CancellationToken cancellationToken);
}
