using System.Text;

namespace PolicyGate.Configuration;

/// <summary>Formats effective values as TOML literals.</summary>
internal static class ConfigToml
{
    public static string Quote(string value)
    {
        StringBuilder sb = new(value.Length + 2);
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    public static string Array(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    public static string Bool(bool value) => value ? "true" : "false";
}
