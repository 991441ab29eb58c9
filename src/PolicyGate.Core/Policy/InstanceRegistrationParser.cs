using System.Text.Json;

namespace PolicyGate.Core.Policy;

/// <summary>
/// Parses a registration body <c>{instance_id, app_id, tenant_id?, address, agent_url?, compose_hash?, port_policy?}</c>
/// and checks its shape (ids, address, URL, policy). Tenant existence is the registry's check. Never throws for bad input.
/// </summary>
public static class InstanceRegistrationParser
{
    private const int MaxTextLength = 512;

    public static InstanceRegistrationParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            return Fail("registration body is required");
        }

        if (!JsonText.TryParse(utf8Json, out JsonDocument? document, out string? error))
        {
            return Fail(error);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    public static InstanceRegistrationParseResult Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail($"registration: must be an object, not {JsonText.KindName(root.ValueKind)}");
        }

        string? instanceId = null, appId = null, tenantId = null, address = null, agentUrl = null, composeHash = null;
        PortPolicy? policy = null;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string? error = property.Name switch
            {
                "instance_id" => ReadString(property, ref instanceId),
                "app_id" => ReadString(property, ref appId),
                "tenant_id" => ReadString(property, ref tenantId),
                "address" => ReadString(property, ref address),
                "agent_url" => ReadString(property, ref agentUrl),
                "compose_hash" => ReadString(property, ref composeHash),
                "port_policy" => ReadPolicy(property.Value, ref policy),
                _ => $"{property.Name}: unknown field",
            };
            if (error is not null)
            {
                return Fail(error);
            }
        }

        string? invalid = InstanceIds.Validate(instanceId, "instance_id")
            ?? InstanceIds.Validate(appId, "app_id")
            ?? (tenantId is null ? null : InstanceIds.Validate(tenantId, "tenant_id"))
            ?? ValidateAddress(address)
            ?? ValidateAgentUrl(agentUrl);
        if (invalid is not null)
        {
            return Fail(invalid);
        }

        return new InstanceRegistrationParseResult(
            new InstanceRegistration(instanceId!, appId!, tenantId, address!, agentUrl, string.IsNullOrEmpty(composeHash) ? null : composeHash, policy),
            null);
    }

    /// <summary>Null when <paramref name="address"/> is a host name or IP literal.</summary>
    public static string? ValidateAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "address: is required";
        }

        return Uri.CheckHostName(address) == UriHostNameType.Unknown
            ? $"address: \"{address}\" is not a host name or IP address"
            : null;
    }

    /// <summary>Null when absent or an absolute http(s) URL.</summary>
    public static string? ValidateAgentUrl(string? agentUrl)
    {
        if (agentUrl is null)
        {
            return null;
        }

        return Uri.TryCreate(agentUrl, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"agent_url: \"{agentUrl}\" is not an absolute http or https URL";
    }

    private static string? ReadString(JsonProperty property, ref string? target)
    {
        JsonElement value = property.Value;
        if (value.ValueKind == JsonValueKind.Null)
        {
            target = null;
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return $"{property.Name}: must be a string, not {JsonText.KindName(value.ValueKind)}";
        }

        string text = value.GetString()!;
        if (text.Length > MaxTextLength)
        {
            return $"{property.Name}: longer than {MaxTextLength} characters";
        }

        target = text;
        return null;
    }

    private static string? ReadPolicy(JsonElement value, ref PortPolicy? target)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            target = null;
            return null;
        }

        PortPolicyParseResult result = PortPolicyParser.Parse(value, "port_policy");
        target = result.Policy;
        return result.Error;
    }

    private static InstanceRegistrationParseResult Fail(string error) => new(null, error);
}
