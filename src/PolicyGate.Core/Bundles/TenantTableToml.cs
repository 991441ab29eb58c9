using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PolicyGate.Core.Bundles;

/// <summary>
/// Writes a bundle's JSON tenant table (the keys of a tenant file's [inspection] table) as TOML, so bundle tenants are
/// validated by exactly the parser that reads config/tenants/*.toml.
/// </summary>
internal static class TenantTableToml
{
    public static string? TryWrite(JsonElement inspection, string where, out string toml)
    {
        StringBuilder sb = new("[inspection]\n");
        toml = "";
        if (inspection.ValueKind != JsonValueKind.Object)
        {
            return $"{where}: must be an object, not {StrictFields.Kind(inspection)}";
        }

        foreach (JsonProperty property in inspection.EnumerateObject())
        {
            if (!IsBareKey(property.Name))
            {
                return $"{where}.{property.Name}: unknown key";
            }

            sb.Append(property.Name).Append(" = ");
            if (!TryValue(property.Value, sb, allowArray: true))
            {
                return $"{where}.{property.Name}: must be a string, number, boolean or array of strings";
            }

            sb.Append('\n');
        }

        toml = sb.ToString();
        return null;
    }

    private static bool TryValue(JsonElement value, StringBuilder sb, bool allowArray)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                sb.Append(JsonSerializer.Serialize(value.GetString()));
                return true;
            case JsonValueKind.Number:
                sb.Append(value.TryGetInt64(out long n) ? n.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                sb.Append(value.ValueKind == JsonValueKind.True ? "true" : "false");
                return true;
            case JsonValueKind.Array when allowArray:
                sb.Append('[');
                bool first = true;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    sb.Append(first ? "" : ", ");
                    first = false;
                    if (!TryValue(item, sb, allowArray: false))
                    {
                        return false;
                    }
                }

                sb.Append(']');
                return true;
            default:
                return false;
        }
    }

    private static bool IsBareKey(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
