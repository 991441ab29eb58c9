using System.Buffers;
using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel F: framing phrases (built-in or configured, any script) matched case-insensitively (ASCII and
/// Latin-1 letters) with whitespace ignored: spaces, line breaks, no-break spaces and JSON `\n` escapes all count as
/// whitespace, and a phrase's `=` also matches the `:` of JSON and YAML (`"private_key": "…"`). The text is UTF-8 widened
/// to Latin-1 chars, so phrases are compared in that form. Anchored on each phrase's longest ASCII word with
/// <see cref="SearchValues{T}"/>, then verified outwards.
/// </summary>
public sealed class FramingDetector
{
    private readonly Phrase[] _phrases;
    private readonly SearchValues<string>? _anchors;

    public FramingDetector(IReadOnlyList<string> phrases)
    {
        _phrases = phrases.Select(Phrase.Create).ToArray();
        _anchors = _phrases.Length == 0 ? null : SearchValues.Create(_phrases.Select(p => p.Anchor).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
        LongestPhrase = phrases.Count == 0 ? 0 : phrases.Max(p => Encoding.UTF8.GetByteCount(p));
    }

    /// <summary>True when at least one phrase is configured (the channel then covers the leakage risk).</summary>
    public bool HasPhrases => _anchors is not null;

    /// <summary>Length of the longest configured phrase (sizes the streaming overlap).</summary>
    public int LongestPhrase { get; }

    /// <summary>A phrase must be printable (any script) with at least one ASCII word of 3+ letters/digits (the anchor).</summary>
    public static bool IsUsablePhrase(string phrase) =>
        phrase.All(c => !char.IsControl(c) || c == '\t') && LongestWord(phrase).Length >= 3;

    public void Scan(ReadOnlySpan<char> text, long baseOffset, List<DetectionHit> hits)
    {
        if (_anchors is null)
        {
            return;
        }

        int i = 0;
        while (i < text.Length)
        {
            int found = text[i..].IndexOfAny(_anchors);
            if (found < 0)
            {
                return;
            }

            int at = i + found;
            i = at + 1;
            foreach (Phrase phrase in _phrases)
            {
                if (text[at..].StartsWith(phrase.Anchor, StringComparison.OrdinalIgnoreCase)
                    && phrase.TryMatch(text, at, out int start, out int end))
                {
                    hits.Add(new DetectionHit(DetectorNames.Framing, DetectionChannel.Rules, baseOffset + start, end - start));
                    i = end;
                    break;
                }
            }
        }
    }

    private static string LongestWord(string phrase)
    {
        string best = "";
        int i = 0;
        while (i < phrase.Length)
        {
            int j = i;
            while (j < phrase.Length && (char.IsAsciiLetterOrDigit(phrase[j]) || phrase[j] == '_'))
            {
                j++;
            }

            if (j - i > best.Length)
            {
                best = phrase[i..j];
            }

            i = j + 1;
        }

        return best;
    }

    /// <summary>A phrase as whitespace-free folded text before the anchor, the anchor, and whitespace-free folded text after it.</summary>
    private sealed record Phrase(string Before, string Anchor, string After)
    {
        public static Phrase Create(string text)
        {
            string anchor = LongestWord(text);
            int at = text.IndexOf(anchor, StringComparison.Ordinal);
            return new Phrase(Squeeze(text[..at]), anchor, Squeeze(text[(at + anchor.Length)..]));
        }

        public bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int end)
        {
            start = anchorAt;
            end = anchorAt + Anchor.Length;
            for (int k = Before.Length - 1; k >= 0; k--)
            {
                start = SkipWhitespaceBack(text, start);
                if (start == 0 || Fold(text, start - 1) != Before[k])
                {
                    return false;
                }

                start--;
            }

            foreach (char expected in After)
            {
                end = SkipWhitespace(text, end);
                if (expected == '=')
                {
                    // Assignment in any syntax: `key = v`, `KEY=v`, `key: v`, `"key": "v"`, `\"key\": \"v\"`.
                    end = SkipQuotes(text, end);
                    if (end >= text.Length || text[end] is not ('=' or ':'))
                    {
                        return false;
                    }
                }
                else if (end >= text.Length || Fold(text, end) != expected)
                {
                    return false;
                }

                end++;
            }

            return true;
        }

        /// <summary>UTF-8 widened to Latin-1 chars, folded, whitespace removed.</summary>
        private static string Squeeze(string text)
        {
            string widened = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(string.Concat(text.Where(c => !char.IsWhiteSpace(c)))));
            StringBuilder folded = new(widened.Length);
            for (int i = 0; i < widened.Length; i++)
            {
                folded.Append(Fold(widened, i));
            }

            return folded.ToString();
        }

        /// <summary>
        /// Lower case of the widened char at <paramref name="index"/>: ASCII letters, and the second byte of a UTF-8 Latin-1
        /// capital (C3 80-9E, not ×) mapped to its small letter's byte (C3 A0-BE).
        /// </summary>
        private static char Fold(ReadOnlySpan<char> text, int index)
        {
            char c = text[index];
            if (c < 0x80)
            {
                return char.IsAsciiLetterUpper(c) ? (char)(c + 32) : c;
            }

            return c is >= '\u0080' and <= '\u009E' and not '\u0097' && index > 0 && text[index - 1] == '\u00C3' ? (char)(c + 0x20) : c;
        }

        /// <summary>Length of the whitespace at <paramref name="index"/>: ASCII whitespace, a UTF-8 no-break space, a JSON `\n`/`\r`/`\t` escape or `&amp;nbsp;`.</summary>
        private static int WhitespaceAt(ReadOnlySpan<char> text, int index)
        {
            char c = text[index];
            if (c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v')
            {
                return 1;
            }

            ReadOnlySpan<char> rest = text[index..];
            if (c == '\u00C2' && rest.Length > 1 && rest[1] == '\u00A0')
            {
                return 2;
            }

            if (c == '\\' && rest.Length > 1 && rest[1] is 'n' or 'r' or 't')
            {
                return 2;
            }

            if (c == '<' && rest.StartsWith("<br", StringComparison.OrdinalIgnoreCase))
            {
                int close = rest[..Math.Min(rest.Length, 6)].IndexOf('>');
                return close > 2 ? close + 1 : 0;
            }

            return c == '&' && rest.StartsWith("&nbsp;", StringComparison.OrdinalIgnoreCase) ? 6 : 0;
        }

        private static int SkipWhitespace(ReadOnlySpan<char> text, int index)
        {
            int limit = Math.Min(text.Length, index + 64);
            while (index < limit && WhitespaceAt(text, index) is var n && n > 0)
            {
                index += n;
            }

            return index;
        }

        private static int SkipWhitespaceBack(ReadOnlySpan<char> text, int index)
        {
            int limit = Math.Max(0, index - 64);
            while (index > limit)
            {
                if (char.IsWhiteSpace(text[index - 1]) && text[index - 1] < 0x80)
                {
                    index--;
                }
                else if (index >= 2 && WhitespaceAt(text, index - 2) == 2)
                {
                    index -= 2;
                }
                else if (index >= 6 && WhitespaceAt(text, index - 6) == 6)
                {
                    index -= 6;
                }
                else if (text[index - 1] == '>' && text[Math.Max(0, index - 6)..index].LastIndexOf('<') is int open and >= 0
                    && WhitespaceAt(text, Math.Max(0, index - 6) + open) == index - (Math.Max(0, index - 6) + open))
                {
                    index = Math.Max(0, index - 6) + open;
                }
                else
                {
                    break;
                }
            }

            return index;
        }

        private static int SkipQuotes(ReadOnlySpan<char> text, int index)
        {
            int limit = Math.Min(text.Length, index + 4);
            while (index < limit && text[index] is '"' or '\'' or '\\')
            {
                index++;
            }

            return SkipWhitespace(text, index);
        }
    }
}
