using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace PolicyGate.Configuration;

/// <summary>Reads policygate.toml into <see cref="PolicyGateOptions"/>; errors are <see cref="ConfigException"/> with file:line.</summary>
public static class ConfigLoader
{
    private static readonly Dictionary<string, ConfigKey> s_keys = ConfigSchema.Keys.ToDictionary(k => k.Path, StringComparer.Ordinal);
    private static readonly HashSet<string> s_tables = new(ConfigSchema.Tables, StringComparer.Ordinal);

    /// <summary>Loads the file (or the embedded defaults when <paramref name="path"/> is null).</summary>
    public static PolicyGateOptions Load(string? path)
    {
        if (path is null)
        {
            PolicyGateOptions defaults = new();
            ResolveDefaultPaths(defaults);
            return defaults;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ConfigException("--config: the path is empty");
        }

        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(File.Exists(full) || Directory.Exists(full)
                ? $"{path}: cannot read: {e.Message}"
                : $"{path}: file not found");
        }

        return LoadText(text, path, Path.GetDirectoryName(full)!, full);
    }

    /// <summary>Parses TOML text; <paramref name="displayName"/> prefixes every error, relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static PolicyGateOptions LoadText(string text, string displayName, string baseDirectory, string? sourceFile = null)
    {
        PolicyGateOptions options = new() { SourceFile = sourceFile, BaseDirectory = baseDirectory };
        DocumentSyntax document = SyntaxParser.Parse(text, displayName, validate: false);
        ThrowFirstError(document, displayName);
        ConfigDocumentWalker walker = new(options, displayName, s_keys, s_tables);
        walker.Walk(document);

        // Our walker words the common mistakes precisely; TOML's remaining semantic rules (e.g. a table both
        // dotted and bracketed) come from Tomlyn's validator.
        ThrowFirstError(SyntaxParser.Parse(text, displayName, validate: true), displayName);
        ResolveDefaultPaths(options);
        ConfigCrossChecks.Validate(options, walker.Lines, displayName);
        return options;
    }

    private static void ThrowFirstError(DocumentSyntax document, string displayName)
    {
        foreach (DiagnosticMessage diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind == DiagnosticMessageKind.Error)
            {
                throw new ConfigException($"{displayName}:{diagnostic.Span.Start.Line + 1}: {diagnostic.Message}");
            }
        }
    }

    private static void ResolveDefaultPaths(PolicyGateOptions options)
    {
        options.Node.DataDir = options.ResolvePath(options.Node.DataDir);
        options.Inspection.TenantsDir = options.ResolvePath(options.Inspection.TenantsDir);
    }
}
