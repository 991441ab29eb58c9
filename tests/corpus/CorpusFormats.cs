using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>Wraps a keyed value in one of the corpus formats (JSON, YAML, env, headers, prose, HTML, CSV, logs), escaping as that format does.</summary>
internal static class CorpusFormats
{
    public static readonly string[] All = ["json", "yaml", "env", "headers", "prose", "html", "csv", "log"];

    /// <summary>
    /// Writes one document: filler around <paramref name="key"/> (the field name) or <paramref name="lead"/> (the words before the
    /// value in prose) and the value, which <paramref name="value"/> writes through the format's escaper.
    /// </summary>
    public static void Render(CorpusWriter w, Random random, string format, CorpusLanguage lang, string key, string lead,
        Action<CorpusWriter, Func<string, string>> value)
    {
        string filler = Pick(random, lang.Sentences);
        string name = Pick(random, lang.Names);
        switch (format)
        {
            case "json":
                w.Text($"{{\"id\": {random.Next(10, 9999)}, \"name\": \"{name}\", \"{key}\": \"");
                value(w, Json);
                w.Text($"\", \"note\": \"{Json(filler)}\"}}\n");
                break;
            case "yaml":
                w.Text($"id: {random.Next(10, 9999)}\nname: {name}\n{key}: \"");
                value(w, Json);
                w.Text($"\"\nnote: {filler}\n");
                break;
            case "env":
                w.Text($"APP_NAME=northwind\nLOG_LEVEL=info\n{key.ToUpperInvariant()}=\"");
                value(w, Env);
                w.Text("\"\n");
                break;
            case "headers":
                w.Text($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-{HeaderName(key)}: ");
                value(w, Header);
                w.Text($"\r\nCache-Control: no-store\r\n\r\n{filler}\r\n");
                break;
            case "prose":
                w.Text($"{filler} {lead} ");
                value(w, static s => s);
                w.Text($" {Pick(random, lang.Sentences)}\n");
                break;
            case "html":
                w.Text($"<!doctype html><html lang=\"{lang.Code}\"><body><h1>{Html(name)}</h1><p>{Html(filler)}</p><p>{Html(lead)} <strong>");
                value(w, Html);
                w.Text("</strong></p></body></html>\n");
                break;
            case "csv":
                w.Text($"name;{key};city\n{name};");
                value(w, Csv);
                w.Text($";{Pick(random, lang.Cities)}\n");
                break;
            default:
                w.Text($"2025-11-{random.Next(10, 28)}T08:15:{random.Next(10, 59)}.512Z INFO request handled route=/api/v2/profile {key}=\"");
                value(w, Env);
                w.Text($"\" msg=\"{Env(filler)}\"\n");
                break;
        }
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>JSON string content: quotes, backslashes and control characters escaped; other characters raw (as most encoders emit).</summary>
    public static string Json(string text)
    {
        StringBuilder builder = new(text.Length);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>JSON with every non-ASCII character as a \uXXXX escape (Python's default).</summary>
    public static string JsonAscii(string text)
    {
        StringBuilder builder = new(text.Length);
        foreach (char c in Json(text))
        {
            builder.Append(c < 0x80 ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return builder.ToString();
    }

    public static string Html(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal)
        .Replace("\n", "<br>\n", StringComparison.Ordinal);

    private static string Env(string text) => text.Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Header(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Csv(string text) => text.Contains(';') || text.Contains('"') || text.Contains('\n')
        ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : text;

    private static string HeaderName(string key) => string.Join('-', key.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
