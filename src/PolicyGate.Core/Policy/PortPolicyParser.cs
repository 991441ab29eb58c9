using System.Text.Json;

namespace PolicyGate.Core.Policy;

/// <summary>
/// Parses and validates port policy JSON (DESIGN §5): <c>{"ports":[{"port":8080,"pp":true,"protocol":"http"}],"restrict_mode":true}</c>.
/// Never throws for bad input: returns a precise error naming the field.
/// </summary>
public static class PortPolicyParser
{
    /// <summary>Protocols a listed port may declare; absent = edge.default_protocol.</summary>
    public static readonly IReadOnlyList<string> Protocols = ["http", "tcp"];

    /// <summary>Parses UTF-8 JSON text; malformed JSON yields the parser's message with its position.</summary>
    public static PortPolicyParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (!JsonText.TryParse(utf8Json, out JsonDocument? document, out string? error))
        {
            return PortPolicyParseResult.Fail(error);
        }

        using (document)
        {
            return Parse(document.RootElement, "port_policy");
        }
    }

    /// <summary>Validates an already parsed element; <paramref name="field"/> prefixes error messages (e.g. "port_policy").</summary>
    public static PortPolicyParseResult Parse(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return PortPolicyParseResult.Fail($"{field}: must be an object, not {JsonText.KindName(element.ValueKind)}");
        }

        bool restrictMode = false;
        List<PortRule> rules = [];
        foreach (JsonProperty property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "restrict_mode":
                    if (!JsonText.TryGetBool(property.Value, out restrictMode))
                    {
                        return PortPolicyParseResult.Fail($"{field}.restrict_mode: must be true or false, not {JsonText.KindName(property.Value.ValueKind)}");
                    }

                    break;
                case "ports":
                    string? error = ParsePorts(property.Value, field + ".ports", rules);
                    if (error is not null)
                    {
                        return PortPolicyParseResult.Fail(error);
                    }

                    break;
                default:
                    return PortPolicyParseResult.Fail($"{field}.{property.Name}: unknown field (expected ports, restrict_mode)");
            }
        }

        return PortPolicyParseResult.Ok(new PortPolicy(rules, restrictMode));
    }

    private static string? ParsePorts(JsonElement ports, string field, List<PortRule> rules)
    {
        if (ports.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ports.ValueKind != JsonValueKind.Array)
        {
            return $"{field}: must be an array, not {JsonText.KindName(ports.ValueKind)}";
        }

        HashSet<int> seen = [];
        int index = 0;
        foreach (JsonElement item in ports.EnumerateArray())
        {
            string itemField = $"{field}[{index++}]";
            string? error = ParseRule(item, itemField, out PortRule? rule);
            if (error is not null)
            {
                return error;
            }

            if (!seen.Add(rule!.Port))
            {
                return $"duplicate port {rule.Port}";
            }

            rules.Add(rule);
        }

        return null;
    }

    private static string? ParseRule(JsonElement item, string field, out PortRule? rule)
    {
        rule = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            return $"{field}: must be an object, not {JsonText.KindName(item.ValueKind)}";
        }

        int? port = null;
        bool pp = false;
        string? protocol = null;
        foreach (JsonProperty property in item.EnumerateObject())
        {
            JsonElement value = property.Value;
            switch (property.Name)
            {
                case "port":
                    if (value.ValueKind != JsonValueKind.Number)
                    {
                        return $"{field}.port: must be an integer, not {JsonText.KindName(value.ValueKind)}";
                    }

                    if (!value.TryGetInt64(out long number))
                    {
                        // An integer too large for long is still an integer, just out of range.
                        return value.TryGetDecimal(out decimal large) && large == decimal.Truncate(large)
                            ? $"port {value.GetRawText()} out of range"
                            : $"{field}.port: must be an integer, not {value.GetRawText()}";
                    }

                    if (number is < 1 or > 65535)
                    {
                        return $"port {number} out of range";
                    }

                    port = (int)number;
                    break;
                case "pp":
                    if (!JsonText.TryGetBool(value, out pp))
                    {
                        return $"{field}.pp: must be true or false, not {JsonText.KindName(value.ValueKind)}";
                    }

                    break;
                case "protocol":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return $"{field}.protocol: must be \"http\" or \"tcp\", not {JsonText.KindName(value.ValueKind)}";
                    }

                    protocol = value.GetString();
                    if (protocol is not ("http" or "tcp"))
                    {
                        return $"{field}.protocol: must be \"http\" or \"tcp\", not \"{protocol}\"";
                    }

                    break;
                default:
                    return $"{field}.{property.Name}: unknown field (expected port, pp, protocol)";
            }
        }

        if (port is null)
        {
            return $"{field}.port: is required";
        }

        rule = new PortRule(port.Value, pp, protocol);
        return null;
    }
}
