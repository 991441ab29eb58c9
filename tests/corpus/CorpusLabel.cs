namespace PolicyGate.Tests.Corpus;

/// <summary>One labelled span: the detector that must find it, its class (for the miss report) and its UTF-8 byte range.</summary>
public sealed record CorpusLabel(string Detector, string Class, int Start, int Length)
{
    public int End => Start + Length;
}
