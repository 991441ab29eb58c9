using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>Kinds of corpus documents.</summary>
public enum CorpusKind
{
    /// <summary>Holds at least one labelled span.</summary>
    Positive,
    /// <summary>Built to tempt one detector; nothing in it may be found.</summary>
    HardNegative,
    /// <summary>Ordinary prose or JSON; nothing in it may be found.</summary>
    Clean,
}

/// <summary>One generated response body with its labels (byte offsets into <see cref="Body"/>).</summary>
public sealed record CorpusDocument(
    string Id, CorpusKind Kind, string Target, string Format, string Language, bool Context, string Class, string Text, IReadOnlyList<CorpusLabel> Labels)
{
    public byte[] Body { get; } = Encoding.UTF8.GetBytes(Text);

    /// <summary>The media type a backend would send this format with.</summary>
    public string ContentType => Format switch
    {
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
}
