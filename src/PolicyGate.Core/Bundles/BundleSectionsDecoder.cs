using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Core.Policy;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Core.Bundles;

/// <summary>Default-deny section decoder: only egress_rules, port_overrides, tenants and inspection; each validated like its admin API or file.</summary>
internal static partial class BundleSectionsDecoder
{
    private static readonly string[] s_ruleFields = ["id", "container", "destination", "port", "action", "expires_at", "notes"];
    private static readonly string[] s_ruleRequired = ["container", "destination"];
    private static readonly string[] s_tenantFields = ["inspection"];

    public static BundleResult<BundleSections> Decode(JsonElement sections, string bundleId)
    {
        if (sections.ValueKind != JsonValueKind.Object)
        {
            return BundleResult<BundleSections>.Fail(BundleErrors.BadField, $"sections: must be an object, not {StrictFields.Kind(sections)}");
        }

        foreach (JsonProperty section in sections.EnumerateObject())
        {
            if (!BundleConstants.AllowedSections.Contains(section.Name))
            {
                return BundleResult<BundleSections>.Fail(BundleErrors.ForbiddenSection,
                    $"sections.{section.Name}: section not allowed in a bundle (only {string.Join(", ", BundleConstants.AllowedSections)})");
            }
        }

        List<EgressRule>? rules = null;
        Dictionary<string, PortPolicy>? overrides = null;
        List<TenantPolicy>? tenants = null;
        BundleRejection? bad = null;
        if (sections.TryGetProperty("egress_rules", out JsonElement rulesElement))
        {
            bad = DecodeRules(rulesElement, bundleId, out rules);
        }

        if (bad is null && sections.TryGetProperty("port_overrides", out JsonElement overridesElement))
        {
            bad = DecodeOverrides(overridesElement, out overrides);
        }

        if (bad is null && sections.TryGetProperty("tenants", out JsonElement tenantsElement))
        {
            bad = DecodeTenants(tenantsElement, out tenants);
        }

        if (bad is null && sections.TryGetProperty("inspection", out JsonElement inspection))
        {
            if (tenants?.Any(t => t.Id == "default") == true)
            {
                bad = BundleErrors.Of(BundleErrors.BadSection, "sections.inspection: conflicts with sections.tenants.default (both set the default tenant)");
            }
            else
            {
                bad = DecodeTenant(inspection, "default", "sections.inspection", out TenantPolicy? policy);
                if (bad is null)
                {
                    (tenants ??= []).Add(policy!);
                }
            }
        }

        return bad is null ? BundleResult<BundleSections>.Ok(new BundleSections(rules, overrides, tenants)) : bad;
    }

    private static BundleRejection? DecodeRules(JsonElement element, string bundleId, out List<EgressRule>? rules)
    {
        rules = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            return BundleErrors.Of(BundleErrors.BadSection, $"sections.egress_rules: must be an array, not {StrictFields.Kind(element)}");
        }

        List<EgressRule> list = [];
        HashSet<string> ids = new(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            string where = $"sections.egress_rules[{index}]";
            if (StrictFields.CheckObject(item, where, s_ruleFields, s_ruleRequired) is { } shape)
            {
                return shape;
            }

            string container = "", destination = "";
            if ((StrictFields.String(item, "container", where, out container) ?? StrictFields.String(item, "destination", where, out destination)) is { } e)
            {
                return e;
            }

            if (!ContainerPattern.TryParse(container, out _, out string containerError))
            {
                return BundleErrors.Of(BundleErrors.BadSection, $"{where}.container: {containerError}");
            }

            if (!DestinationPattern.TryParse(destination, out DestinationPattern pattern, out string destinationError))
            {
                return BundleErrors.Of(BundleErrors.BadSection, $"{where}.destination: {destinationError}");
            }

            string port = "*";
            if (item.TryGetProperty("port", out JsonElement portElement))
            {
                port = portElement.ValueKind switch
                {
                    JsonValueKind.String => portElement.GetString()!,
                    JsonValueKind.Number => portElement.GetRawText(),
                    _ => "",
                };
                PortPattern.Parse(port, out string? portError);
                if (portError is not null || port.Length == 0)
                {
                    return BundleErrors.Of(BundleErrors.BadSection, $"{where}.port: {portError ?? "must be a string or number"}");
                }
            }

            EgressAction action = EgressAction.Allow;
            if (item.TryGetProperty("action", out JsonElement actionElement)
                && (actionElement.ValueKind != JsonValueKind.String || !EgressNames.TryParseAction(actionElement.GetString(), out action)))
            {
                return BundleErrors.Of(BundleErrors.BadSection, $"{where}.action: must be \"allow\" or \"deny\"");
            }

            DateTimeOffset? expires = null;
            if (item.TryGetProperty("expires_at", out _))
            {
                if (StrictFields.Time(item, "expires_at", where, out DateTimeOffset at) is { } t)
                {
                    return t;
                }

                expires = at;
            }

            string id = $"bundle-{index}";
            if (item.TryGetProperty("id", out _))
            {
                if (StrictFields.String(item, "id", where, out string given) is { } i)
                {
                    return i;
                }

                if (!RuleId().IsMatch(given))
                {
                    return BundleErrors.Of(BundleErrors.BadSection, $"{where}.id: '{given}' must be 1-64 of [A-Za-z0-9_.-]");
                }

                id = "bundle-" + given;
            }

            if (!ids.Add(id))
            {
                return BundleErrors.Of(BundleErrors.BadSection, $"{where}.id: duplicate rule id {id}");
            }

            string notes = item.TryGetProperty("notes", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            list.Add(new EgressRule
            {
                Id = id,
                Container = container,
                Destination = pattern.ToString(),
                Port = port,
                Action = action,
                ExpiresAt = expires,
                Notes = notes,
                CreatedBy = "bundle:" + bundleId,
                Source = EgressLayers.Global,
            });
            index++;
        }

        rules = list;
        return null;
    }

    private static BundleRejection? DecodeOverrides(JsonElement element, out Dictionary<string, PortPolicy>? overrides)
    {
        overrides = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return BundleErrors.Of(BundleErrors.BadSection, $"sections.port_overrides: must be an object, not {StrictFields.Kind(element)}");
        }

        Dictionary<string, PortPolicy> map = new(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (InstanceIds.Validate(property.Name, "instance_id") is { } idError)
            {
                return BundleErrors.Of(BundleErrors.BadSection, $"sections.port_overrides.{property.Name}: {idError}");
            }

            PortPolicyParseResult parsed = PortPolicyParser.Parse(property.Value, $"sections.port_overrides.{property.Name}");
            if (!parsed.IsValid)
            {
                return BundleErrors.Of(parsed.Error!.Contains("unknown field", StringComparison.Ordinal) ? BundleErrors.UnknownField : BundleErrors.BadSection, parsed.Error!);
            }

            map[property.Name] = parsed.Policy!;
        }

        overrides = map;
        return null;
    }

    private static BundleRejection? DecodeTenants(JsonElement element, out List<TenantPolicy>? tenants)
    {
        tenants = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return BundleErrors.Of(BundleErrors.BadSection, $"sections.tenants: must be an object, not {StrictFields.Kind(element)}");
        }

        List<TenantPolicy> list = [];
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string where = "sections.tenants." + property.Name;
            if (!TenantId().IsMatch(property.Name))
            {
                return BundleErrors.Of(BundleErrors.BadSection, $"{where}: tenant id must be 1-64 of [a-z0-9_-], starting with a letter or digit");
            }

            if (StrictFields.CheckObject(property.Value, where, s_tenantFields, s_tenantFields) is { } shape)
            {
                return shape;
            }

            if (DecodeTenant(property.Value.GetProperty("inspection"), property.Name, where + ".inspection", out TenantPolicy? policy) is { } bad)
            {
                return bad;
            }

            list.Add(policy!);
        }

        tenants = list;
        return null;
    }

    private static BundleRejection? DecodeTenant(JsonElement inspection, string tenantId, string where, out TenantPolicy? policy)
    {
        policy = null;
        if (TenantTableToml.TryWrite(inspection, where, out string toml) is { } writeError)
        {
            return BundleErrors.Of(BundleErrors.BadSection, writeError);
        }

        if (!TenantFileParser.TryParse(where, tenantId, toml, out policy, out string? error))
        {
            // The parser names "file:line: key: what"; the line is meaningless for JSON, keep the key and the reason.
            string reason = error!.StartsWith(where + ":", StringComparison.Ordinal) ? error[(error.IndexOf(' ', StringComparison.Ordinal) + 1)..] : error;
            return BundleErrors.Of(reason.Contains("unknown key", StringComparison.Ordinal) ? BundleErrors.UnknownField : BundleErrors.BadSection, $"{where}: {reason}");
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantId();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleId();
}
