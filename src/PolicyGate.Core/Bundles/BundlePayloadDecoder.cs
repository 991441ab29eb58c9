using System.Text.Json;

namespace PolicyGate.Core.Bundles;

/// <summary>Strict decoder of the signed payload (DESIGN §9): every field required, unknown fields and duplicates refused.</summary>
public static class BundlePayloadDecoder
{
    private static readonly string[] s_fields =
        ["schema_version", "bundle_id", "fleet_id", "version", "previous_bundle_hash", "created_at", "not_before", "expires_at", "audience", "sections"];

    private static readonly string[] s_audienceFields = ["node_ids", "labels"];

    public static BundleResult<BundlePayload> Decode(ReadOnlySpan<byte> payload)
    {
        BundleResult<JsonDocument> parsed = StrictJson.Parse(payload, "payload");
        if (!parsed.IsOk)
        {
            return parsed.Rejection;
        }

        using JsonDocument document = parsed.Value;
        JsonElement root = document.RootElement;
        if (StrictFields.CheckObject(root, "payload", s_fields, s_fields) is { } shape)
        {
            return shape;
        }

        JsonElement schema = root.GetProperty("schema_version");
        if (schema.ValueKind != JsonValueKind.Number || !schema.TryGetInt32(out int schemaVersion) || schemaVersion != BundleConstants.SchemaVersion)
        {
            return BundleResult<BundlePayload>.Fail(BundleErrors.BadField, $"schema_version: must be {BundleConstants.SchemaVersion}, not {schema.GetRawText()}");
        }

        string bundleId = "", fleetId = "", previous = "";
        if ((StrictFields.String(root, "bundle_id", "", out bundleId) ?? StrictFields.String(root, "fleet_id", "", out fleetId)
            ?? StrictFields.String(root, "previous_bundle_hash", "", out previous)) is { } badString)
        {
            return badString;
        }

        if (bundleId.Length is 0 or > 128)
        {
            return BundleResult<BundlePayload>.Fail(BundleErrors.BadField, "bundle_id: must be 1-128 characters");
        }

        if (previous.Length > 0 && !BundleKeyId.IsWellFormed(previous))
        {
            return BundleResult<BundlePayload>.Fail(BundleErrors.BadField, $"previous_bundle_hash: '{previous}' is neither \"\" nor sha256:<64 hex>");
        }

        JsonElement versionElement = root.GetProperty("version");
        if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetUInt64(out ulong version) || version == 0)
        {
            return BundleResult<BundlePayload>.Fail(BundleErrors.BadField, $"version: must be an integer > 0, not {versionElement.GetRawText()}");
        }

        DateTimeOffset createdAt = default, notBefore = default, expiresAt = default;
        if ((StrictFields.Time(root, "created_at", "", out createdAt) ?? StrictFields.Time(root, "not_before", "", out notBefore)
            ?? StrictFields.Time(root, "expires_at", "", out expiresAt)) is { } badTime)
        {
            return badTime;
        }

        if (expiresAt <= notBefore)
        {
            return BundleResult<BundlePayload>.Fail(BundleErrors.BadField, "expires_at: must be after not_before");
        }

        BundleResult<BundleAudience> audience = DecodeAudience(root.GetProperty("audience"));
        if (!audience.IsOk)
        {
            return audience.Rejection;
        }

        BundleResult<BundleSections> sections = BundleSectionsDecoder.Decode(root.GetProperty("sections"), bundleId);
        if (!sections.IsOk)
        {
            return sections.Rejection;
        }

        return BundleResult<BundlePayload>.Ok(new BundlePayload
        {
            BundleId = bundleId,
            FleetId = fleetId,
            Version = version,
            PreviousBundleHash = previous,
            CreatedAt = createdAt,
            NotBefore = notBefore,
            ExpiresAt = expiresAt,
            Audience = audience.Value,
            Sections = sections.Value,
        });
    }

    private static BundleResult<BundleAudience> DecodeAudience(JsonElement element)
    {
        if (StrictFields.CheckObject(element, "audience", s_audienceFields, []) is { } shape)
        {
            return shape;
        }

        List<string> nodeIds = [];
        if (element.TryGetProperty("node_ids", out JsonElement ids))
        {
            if (ids.ValueKind != JsonValueKind.Array)
            {
                return BundleResult<BundleAudience>.Fail(BundleErrors.BadField, "audience.node_ids: must be an array of strings");
            }

            foreach (JsonElement id in ids.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
                {
                    return BundleResult<BundleAudience>.Fail(BundleErrors.BadField, "audience.node_ids: must be an array of non-empty strings");
                }

                nodeIds.Add(id.GetString()!);
            }
        }

        Dictionary<string, string> labels = new(StringComparer.Ordinal);
        if (element.TryGetProperty("labels", out JsonElement labelElement))
        {
            if (labelElement.ValueKind != JsonValueKind.Object)
            {
                return BundleResult<BundleAudience>.Fail(BundleErrors.BadField, "audience.labels: must be an object of strings");
            }

            foreach (JsonProperty label in labelElement.EnumerateObject())
            {
                if (label.Value.ValueKind != JsonValueKind.String)
                {
                    return BundleResult<BundleAudience>.Fail(BundleErrors.BadField, $"audience.labels.{label.Name}: must be a string");
                }

                labels[label.Name] = label.Value.GetString()!;
            }
        }

        if (nodeIds.Count == 0 && labels.Count == 0)
        {
            return BundleResult<BundleAudience>.Fail(BundleErrors.BadField, "audience: must name node_ids or labels");
        }

        return BundleResult<BundleAudience>.Ok(new BundleAudience(nodeIds, labels));
    }
}
