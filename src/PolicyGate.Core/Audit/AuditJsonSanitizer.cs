using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>Rewrites what JCS cannot encode (lone surrogates → U+FFFD, non-finite numbers → strings) in place.</summary>
internal static class AuditJsonSanitizer
{
    public static void Sanitize(JsonObject obj)
    {
        foreach (string name in obj.Select(static p => p.Key).ToList())
        {
            JsonNode? value = obj[name];
            string cleanName = Clean(name);
            JsonNode? cleanValue = SanitizeNode(value);
            if (!ReferenceEquals(cleanName, name) || !ReferenceEquals(cleanValue, value))
            {
                obj.Remove(name);
                obj[cleanName] = cleanValue;
            }
        }
    }

    private static JsonNode? SanitizeNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                Sanitize(obj);
                return obj;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    JsonNode? item = array[i];
                    JsonNode? clean = SanitizeNode(item);
                    if (!ReferenceEquals(item, clean))
                    {
                        array[i] = clean;
                    }
                }
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text):
                string cleaned = Clean(text);
                return ReferenceEquals(cleaned, text) ? value : JsonValue.Create(cleaned);
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double d) && !double.IsFinite(d):
                return JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
            default:
                return node;
        }
    }

    public static string Clean(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }
        StringBuilder builder = new(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return builder.ToString();
    }
}
