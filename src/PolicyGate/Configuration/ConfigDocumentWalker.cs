using Tomlyn.Syntax;

namespace PolicyGate.Configuration;

/// <summary>Walks a parsed TOML document, applying each key through the schema and failing on the first unknown or bad one.</summary>
internal sealed class ConfigDocumentWalker(
    PolicyGateOptions options,
    string displayName,
    IReadOnlyDictionary<string, ConfigKey> keys,
    IReadOnlySet<string> tables)
{
    /// <summary>The line (1-based) each key was set on.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> _tableLines = new(StringComparer.Ordinal);

    public void Walk(DocumentSyntax document)
    {
        foreach (KeyValueSyntax keyValue in document.KeyValues)
        {
            Apply("", keyValue);
        }

        foreach (TableSyntaxBase table in document.Tables)
        {
            int line = LineOf(table);
            string name = table.Name is null ? "" : KeyPath(table.Name);
            if (table is TableArraySyntax)
            {
                throw Error(line, $"[[{name}]]", "arrays of tables are not supported here");
            }

            if (!tables.Contains(name))
            {
                throw Error(line, $"[{name}]", "unknown table" + Suggest(name, tables));
            }

            if (!_tableLines.TryAdd(name, line))
            {
                throw Error(line, $"[{name}]", $"table defined twice (first on line {_tableLines[name]})");
            }

            foreach (KeyValueSyntax keyValue in table.Items)
            {
                Apply(name, keyValue);
            }
        }
    }

    private void Apply(string prefix, KeyValueSyntax keyValue)
    {
        int line = LineOf(keyValue);
        string name = keyValue.Key is null ? "" : KeyPath(keyValue.Key);
        string path = prefix.Length == 0 ? name : prefix + "." + name;
        ValueSyntax? value = keyValue.Value;
        if (value is null)
        {
            throw Error(line, path, "missing value");
        }

        if (tables.Contains(path))
        {
            if (value is not InlineTableSyntax inline)
            {
                throw Error(line, path, $"expected a table, got {ConfigReaders.Describe(value)}");
            }

            foreach (InlineTableItemSyntax item in inline.Items)
            {
                if (item.KeyValue is not null)
                {
                    Apply(path, item.KeyValue);
                }
            }

            return;
        }

        if (!keys.TryGetValue(path, out ConfigKey? key))
        {
            throw Error(line, path, "unknown key" + Suggest(path, keys.Keys));
        }

        if (Lines.TryGetValue(path, out int first))
        {
            throw Error(line, path, $"set twice (first on line {first})");
        }

        Lines[path] = line;
        string? error = key.Apply(options, value);
        if (error is not null)
        {
            throw Error(line, path, error);
        }
    }

    private ConfigException Error(int line, string key, string what) => new($"{displayName}:{line}: {key}: {what}");

    private static int LineOf(SyntaxNode node) => node.Span.Start.Line + 1;

    private static string KeyPath(KeySyntax key)
    {
        List<string> parts = [Segment(key.Key)];
        foreach (DottedKeyItemSyntax dotted in key.DotKeys)
        {
            parts.Add(Segment(dotted.Key));
        }

        return string.Join('.', parts);
    }

    private static string Segment(BareKeyOrStringValueSyntax? segment) => segment switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    /// <summary>" (did you mean x?)" for a known name within two edits, else "".</summary>
    private static string Suggest(string name, IEnumerable<string> known)
    {
        string? best = known
            .Select(k => (Name: k, Distance: EditDistance(name, k)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? "" : $" (did you mean {best}?)";
    }

    private static int EditDistance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
