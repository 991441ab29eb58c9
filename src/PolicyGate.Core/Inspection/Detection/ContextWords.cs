using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Words that lift (or veto) a nearby candidate, matched case-insensitively at a word start in the scanned text. The text is
/// UTF-8 widened to Latin-1 chars (see <see cref="ContentScanner"/>), so each word is kept in that same widened form.
/// </summary>
internal sealed class ContextWords
{
    private readonly string[] _words;

    public ContextWords(params string[] words)
    {
        _words = Widen(words);
    }

    /// <summary>Words as they appear in the scanned text: UTF-8 bytes widened one byte to one char.</summary>
    public static string[] Widen(params string[] words) => words.Select(w => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(w))).ToArray();

    /// <summary>
    /// True when one of the words starts within <paramref name="distance"/> chars before <paramref name="start"/> with no digit
    /// between it and the candidate (a digit would mean the word labels another number).
    /// </summary>
    public bool Before(ReadOnlySpan<char> text, int start, int distance)
    {
        int from = Math.Max(0, start - distance);
        ReadOnlySpan<char> window = text[from..start];
        int digit = window.LastIndexOfAnyInRange('0', '9');
        if (digit >= 0)
        {
            from += digit + 1;
            window = window[(digit + 1)..];
        }

        foreach (string word in _words)
        {
            int at = window.LastIndexOf(word, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                if (from + at == 0 || !char.IsAsciiLetter(text[from + at - 1]))
                {
                    return true;
                }

                at = window[..at].LastIndexOf(word, StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    /// <summary>
    /// True when the key or word directly before <paramref name="start"/> (skipping quotes, `:`, `=`, spaces, and one
    /// `Bearer`/`token`-style scheme word) contains one of the words: `"api_key": "…"`, `TOKEN=…`, `X-Api-Key: …`, `version 1.2.3.4`.
    /// </summary>
    public bool InKeyBefore(ReadOnlySpan<char> text, int start)
    {
        int end = SkipSyntax(text, start);
        int begin = WordStart(text, end);
        return begin < end && ContainsWord(text[begin..end]);
    }

    /// <summary>Start of the key or word ending at <paramref name="end"/> (letters, digits, `_`, `-`, `.`, UTF-8 bytes).</summary>
    public static int WordStart(ReadOnlySpan<char> text, int end)
    {
        int begin = end;
        while (begin > 0 && end - begin < 64 && (char.IsAsciiLetterOrDigit(text[begin - 1]) || text[begin - 1] is '_' or '-' or '.' || text[begin - 1] >= 0x80))
        {
            begin--;
        }

        return begin;
    }

    /// <summary>Index just after the key before <paramref name="start"/>: skips `"`, `'`, `\"`, `:`, `=`, spaces and tabs (at most 8 chars).</summary>
    public static int SkipSyntax(ReadOnlySpan<char> text, int start)
    {
        int end = start;
        while (end > 0 && start - end < 8 && text[end - 1] is '"' or '\'' or ':' or '=' or ' ' or '\t' or '\\')
        {
            end--;
        }

        return end;
    }

    public bool ContainsWord(ReadOnlySpan<char> key)
    {
        foreach (string word in _words)
        {
            if (key.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
