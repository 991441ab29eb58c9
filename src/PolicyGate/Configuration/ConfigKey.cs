using Tomlyn.Syntax;

namespace PolicyGate.Configuration;

/// <summary>One key of the config schema (DESIGN §3): how to read it into the options and how to print its effective value.</summary>
internal sealed class ConfigKey
{
    private readonly Func<PolicyGateOptions, ValueSyntax, string?> _apply;
    private readonly Func<PolicyGateOptions, string> _format;

    private ConfigKey(string path, Func<PolicyGateOptions, ValueSyntax, string?> apply, Func<PolicyGateOptions, string> format)
    {
        Path = path;
        _apply = apply;
        _format = format;
    }

    /// <summary>Dotted path, e.g. `edge.timeouts.idle`.</summary>
    public string Path { get; }

    /// <summary>Table part of the path, e.g. `edge.timeouts`.</summary>
    public string Table => Path[..Path.LastIndexOf('.')];

    /// <summary>Last segment of the path, e.g. `idle`.</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];

    public static ConfigKey Of<T>(
        string path,
        ConfigValueReader<T> read,
        Func<PolicyGateOptions, T> get,
        Action<PolicyGateOptions, T> set,
        Func<T, string> format)
    {
        return new ConfigKey(
            path,
            (options, syntax) =>
            {
                if (!read(syntax, out T value, out string error))
                {
                    return error;
                }

                set(options, value);
                return null;
            },
            options => format(get(options)));
    }

    /// <summary>Applies the value; null on success, else what is wrong with it.</summary>
    public string? Apply(PolicyGateOptions options, ValueSyntax value) => _apply(options, value);

    /// <summary>The effective value as TOML (secrets masked).</summary>
    public string Format(PolicyGateOptions options) => _format(options);
}
