using PolicyGate.Cluster;
using PolicyGate.Configuration;
using PolicyGate.Core.Bundles;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Operations;
using PolicyGate.Runtime;

namespace PolicyGate.Inspection;

/// <summary>
/// The tenants of this node (config/tenants/*.toml or the built-in `default`), held as an immutable
/// <see cref="TenantSet"/> swapped atomically on reload; a bad file keeps the old set and reports why.
/// </summary>
public sealed class TenantCatalog : ITenantCatalog, IReloadable, IReadinessCheck, IBundleConsumer
{
    private readonly Lock _lock = new();
    private TenantSet _current;
    private TenantSet _local;
    private IReadOnlyList<TenantPolicy> _bundleTenants = [];

    private TenantCatalog(TenantSet initial)
    {
        _current = initial;
        _local = initial;
    }

    /// <summary>The current snapshot (read once per request).</summary>
    public TenantSet Current => Volatile.Read(ref _current);

    public string Name => "tenants";

    /// <summary>Loads the tenants directory named by <paramref name="options"/>; throws <see cref="ConfigException"/> on a bad file.</summary>
    public static TenantCatalog Load(PolicyGateOptions options) => new(Read(options.ResolvePath(options.Inspection.TenantsDir)));

    public bool Contains(string tenantId) => Current.Contains(tenantId);

    public Task ReloadAsync(RuntimeConfig next, CancellationToken cancellationToken)
    {
        TenantSet tenants = Read(next.Inspection.TenantsDirectory);
        lock (_lock)
        {
            _local = tenants;
            Volatile.Write(ref _current, Merge());
        }

        return Task.CompletedTask;
    }

    /// <summary>The active bundle's tenants (and `inspection` as the default tenant) replace local tenants of the same id (DESIGN §9).</summary>
    public void ApplyBundle(BundleSections sections)
    {
        lock (_lock)
        {
            _bundleTenants = sections.Tenants ?? [];
            Volatile.Write(ref _current, Merge());
        }
    }

    private TenantSet Merge()
    {
        if (_bundleTenants.Count == 0)
        {
            return _local;
        }

        HashSet<string> fromBundle = _bundleTenants.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        IEnumerable<TenantPolicy> local = _local.Ids.Where(id => !fromBundle.Contains(id)).Select(id => _local.Find(id)!);
        return new TenantSet(local.Concat(_bundleTenants), _local.Directory);
    }

    public string? Check() => Current.Count > 0 ? null : $"no tenants loaded from {Current.Directory}";

    private static TenantSet Read(string directory)
    {
        if (!TenantSetLoader.TryLoad(directory, out TenantSet? tenants, out string? error))
        {
            throw new ConfigException(error!);
        }

        return tenants!;
    }
}
