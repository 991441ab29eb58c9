using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Edge;

/// <summary>The trusted-proxy set in force: edge.trusted_proxies plus the ranges in edge.trusted_proxies_file, re-read on reload.</summary>
public sealed class TrustedProxySource : IReloadable
{
    private volatile TrustedProxySet _current;

    public TrustedProxySource(PolicyGateOptions options) => _current = Load(options);

    /// <summary>The current set; swapped atomically by a reload.</summary>
    public TrustedProxySet Current => _current;

    public Task ReloadAsync(PolicyGateOptions options, CancellationToken cancellationToken)
    {
        _current = Load(options);
        return Task.CompletedTask;
    }

    /// <summary>Both sources combined; throws <see cref="ConfigException"/> (file:line) for a bad file entry.</summary>
    public static TrustedProxySet Load(PolicyGateOptions options)
    {
        List<string> ranges = [.. options.Edge.TrustedProxies];
        if (options.Edge.TrustedProxiesFile.Length > 0)
        {
            ranges.AddRange(CidrListFile.Read("edge.trusted_proxies_file", options.ResolvePath(options.Edge.TrustedProxiesFile)));
        }

        return TrustedProxySet.Parse(ranges);
    }
}
