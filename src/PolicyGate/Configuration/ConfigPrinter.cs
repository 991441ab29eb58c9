using System.Text;

namespace PolicyGate.Configuration;

/// <summary>Prints the effective configuration as TOML (every key, secrets masked) for `check-config`.</summary>
public static class ConfigPrinter
{
    public static string Print(PolicyGateOptions options)
    {
        StringBuilder sb = new();
        sb.Append("# effective configuration");
        sb.Append(options.SourceFile is null ? " (embedded defaults)" : " of " + options.SourceFile);
        sb.Append("; secrets masked\n");
        foreach (string table in ConfigSchema.Tables)
        {
            sb.Append('\n').Append('[').Append(table).Append("]\n");
            foreach (ConfigKey key in ConfigSchema.Keys.Where(k => k.Table == table))
            {
                sb.Append(key.Name).Append(" = ").Append(key.Format(options)).Append('\n');
            }
        }

        return sb.ToString();
    }
}
