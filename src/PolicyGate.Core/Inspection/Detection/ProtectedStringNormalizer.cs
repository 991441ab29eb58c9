using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// The normal form protected strings are compared in: Unicode compatibility decomposition (NFKD per code point, so
/// composed and decomposed text agree, as NFKC equivalence requires), lower case, zero-width characters removed,
/// whitespace runs (and JSON `\n`, `\t`, `\r` escapes) collapsed to one space.
/// </summary>
public static class ProtectedStringNormalizer
{
    private static readonly ConcurrentDictionary<int, string> s_cache = new();

    /// <summary>Normalises a whole string (used for the configured protected strings).</summary>
    public static string Normalize(string text)
    {
        StringBuilder builder = new(text.Length);
        bool space = false;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (IsWhitespace(rune.Value))
            {
                space = true;
                continue;
            }

            string mapped = Map(rune.Value);
            if (mapped.Length == 0)
            {
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(mapped);
        }

        return builder.ToString();
    }

    public static bool IsWhitespace(int codePoint) => codePoint < 0x80 ? codePoint is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' : Rune.IsWhiteSpace(new Rune(codePoint));

    public static bool IsZeroWidth(int codePoint) => codePoint is 0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF or 0x00AD or 0x180E;

    /// <summary>The normal form of one non-whitespace code point (empty for zero-width characters).</summary>
    public static string Map(int codePoint)
    {
        if (codePoint < 0x80)
        {
            return char.ToLowerInvariant((char)codePoint).ToString();
        }

        if (IsZeroWidth(codePoint) || !Rune.IsValid(codePoint))
        {
            return "";
        }

        return s_cache.Count > 65536 ? Compute(codePoint) : s_cache.GetOrAdd(codePoint, Compute);
    }

    private static string Compute(int codePoint)
    {
        string text = new Rune(codePoint).ToString();
        try
        {
            text = text.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
        }

        return text.ToLower(CultureInfo.InvariantCulture);
    }
}
