namespace PolicyGate.Core.Inspection;

/// <summary>Which tenants exist right now (config/tenants/*.toml, or the built-in `default`).</summary>
public interface ITenantCatalog
{
    bool Contains(string tenantId);
}
