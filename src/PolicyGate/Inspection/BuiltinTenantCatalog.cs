using PolicyGate.Core.Inspection;

namespace PolicyGate.Inspection;

/// <summary>Placeholder catalog with only the built-in `default` tenant (used when no tenants directory exists).</summary>
public sealed class BuiltinTenantCatalog : ITenantCatalog
{
    public bool Contains(string tenantId) => string.Equals(tenantId, "default", StringComparison.Ordinal);
}
