using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel F: framing phrases ("the system prompt", "private_key =") matched case-insensitively with whitespace ignored.
/// Anchored on each phrase's longest word with <see cref="SearchValues{T}"/>, then verified outwards.
/// </summary>
public sealed class FramingDetector
{
    private readonly Phrase[] _phrases;
    private readonly SearchValues<string>? _anchors;

    public FramingDetector(IReadOnlyList<string> phrases)
    {
        _phrases = phrases.Select(Phrase.Create).ToArray();
        _anchors = _phrases.Length == 0 ? null : SearchValues.Create(_phrases.Select(p => p.Anchor).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
        LongestPhrase = phrases.Count == 0 ? 0 : phrases.Max(p => p.Length);
    }

    /// <summary>Length of the longest configured phrase (sizes the streaming overlap).</summary>
    public int LongestPhrase { get; }

    /// <summary>A phrase must be printable ASCII with at least one word of 3+ letters/digits (the anchor).</summary>
    public static bool IsUsablePhrase(string phrase) =>
        phrase.All(c => c is >= ' ' and <= '~' || c == '\t') && LongestWord(phrase).Length >= 3;

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

    /// <summary>A phrase as whitespace-free text before the anchor, the anchor, and whitespace-free text after it.</summary>
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
                if (start == 0 || char.ToLowerInvariant(text[start - 1]) != Before[k])
                {
                    return false;
                }

                start--;
            }

            foreach (char expected in After)
            {
                end = SkipWhitespace(text, end);
                if (end >= text.Length || char.ToLowerInvariant(text[end]) != expected)
                {
                    return false;
                }

                end++;
            }

            return true;
        }

        private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();

        private static int SkipWhitespace(ReadOnlySpan<char> text, int index)
        {
            int limit = Math.Min(text.Length, index + 64);
            while (index < limit && char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            return index;
        }

        private static int SkipWhitespaceBack(ReadOnlySpan<char> text, int index)
        {
            int limit = Math.Max(0, index - 64);
            while (index > limit && char.IsWhiteSpace(text[index - 1]))
            {
                index--;
            }

            return index;
        }
    }
}
