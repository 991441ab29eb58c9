using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>A component that re-reads its part of the config on SIGHUP / POST /api/v1/reload; throw to reject (old state kept).</summary>
public interface IReloadable
{
    /// <summary>Applies <paramref name="options"/> atomically or throws with a one-line reason (old state kept).</summary>
    Task ReloadAsync(PolicyGateOptions options, CancellationToken cancellationToken);
}
