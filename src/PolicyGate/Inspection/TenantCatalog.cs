using PolicyGate.Configuration;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Operations;
using PolicyGate.Runtime;

namespace PolicyGate.Inspection;

/// <summary>
/// The tenants of this node (config/tenants/*.toml or the built-in `default`), held as an immutable
/// <see cref="TenantSet"/> swapped atomically on reload; a bad file keeps the old set and reports why.
/// </summary>
public sealed class TenantCatalog : ITenantCatalog, IReloadable, IReadinessCheck
{
    private TenantSet _current;

    private TenantCatalog(TenantSet initial)
    {
        _current = initial;
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
        Volatile.Write(ref _current, tenants);
        return Task.CompletedTask;
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
