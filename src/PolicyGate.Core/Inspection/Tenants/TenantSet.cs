using System.Collections.Frozen;

namespace PolicyGate.Core.Inspection.Tenants;

/// <summary>An immutable snapshot of all tenants; swapped atomically on reload.</summary>
public sealed class TenantSet
{
    private readonly FrozenDictionary<string, TenantPolicy> _tenants;

    public TenantSet(IEnumerable<TenantPolicy> tenants, string? directory)
    {
        _tenants = tenants.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
        Directory = directory;
    }

    /// <summary>The snapshot with only the built-in `default` tenant (no tenants directory).</summary>
    public static TenantSet Builtin { get; } = new([TenantPolicy.BuiltinDefault], null);

    /// <summary>The directory this was read from; null for the built-in set.</summary>
    public string? Directory { get; }

    public int Count => _tenants.Count;

    public IEnumerable<string> Ids => _tenants.Keys;

    public bool Contains(string tenantId) => _tenants.ContainsKey(tenantId);

    public TenantPolicy? Find(string tenantId) => _tenants.GetValueOrDefault(tenantId);
}
