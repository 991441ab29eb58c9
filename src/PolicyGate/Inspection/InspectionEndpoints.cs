using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Inspection;

/// <summary>GET /inspection/tenants: the loaded tenants' inspection settings and this node's verdict counters.</summary>
public static class InspectionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/inspection/tenants", static (TenantCatalog catalog) => AdminResults.Json(Describe(catalog.Current)));
    }

    private static JsonObject Describe(TenantSet set)
    {
        JsonArray tenants = [];
        foreach (string id in set.Ids.Order(StringComparer.Ordinal))
        {
            TenantPolicy tenant = set.Find(id)!;
            tenants.Add(new JsonObject
            {
                ["tenant_id"] = tenant.Id,
                ["mode"] = tenant.Mode.ToString().ToLowerInvariant(),
                ["detectors"] = new JsonArray([.. tenant.Detectors.Order(StringComparer.Ordinal).Select(static d => JsonValue.Create(d))]),
                ["content_types"] = new JsonArray([.. tenant.ContentTypes.Select(static c => JsonValue.Create(c))]),
                ["max_scan_bytes"] = tenant.MaxScanBytes,
                // The protected strings are secrets of the tenant: only how many there are.
                ["protected_strings"] = tenant.ProtectedStrings.Count,
            });
        }

        JsonArray verdicts = [];
        foreach (string[] labels in InspectionMetrics.Verdicts.GetAllLabelValues().OrderBy(static l => l[1], StringComparer.Ordinal).ThenBy(static l => l[0], StringComparer.Ordinal))
        {
            verdicts.Add(new JsonObject
            {
                ["detector"] = labels[1],
                ["verdict"] = labels[0],
                ["count"] = (long)InspectionMetrics.Verdicts.WithLabels(labels).Value,
            });
        }

        return new JsonObject
        {
            ["directory"] = set.Directory,
            ["tenants"] = tenants,
            ["counters"] = new JsonObject
            {
                ["verdicts"] = verdicts,
                ["disagreements"] = (long)InspectionMetrics.Disagreements.Value,
                ["scanned_bytes"] = (long)InspectionMetrics.ScannedBytes.Value,
            },
        };
    }
}
