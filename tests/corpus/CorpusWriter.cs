using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>Builds one document's text while recording labelled spans at their UTF-8 byte offsets.</summary>
internal sealed class CorpusWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<CorpusLabel> _labels = [];
    private int _bytes;

    public IReadOnlyList<CorpusLabel> Labels => _labels;

    public CorpusWriter Text(string text)
    {
        _text.Append(text);
        _bytes += Encoding.UTF8.GetByteCount(text);
        return this;
    }

    public CorpusWriter Label(string detector, string @class, string text)
    {
        _labels.Add(new CorpusLabel(detector, @class, _bytes, Encoding.UTF8.GetByteCount(text)));
        return Text(text);
    }

    public override string ToString() => _text.ToString();
}
