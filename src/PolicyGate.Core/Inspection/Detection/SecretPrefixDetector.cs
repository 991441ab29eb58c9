using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Channel F: well-known credential prefixes (AWS AKIA/ASIA, GitHub ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, PEM private keys, sk-).</summary>
internal static class SecretPrefixDetector
{
    private const string PemBegin = "-----BEGIN ";
    private static readonly SearchValues<string> s_prefixes = SearchValues.Create(
        ["AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", PemBegin, "sk-"], StringComparison.Ordinal);

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, List<DetectionHit> hits)
    {
        int i = 0;
        while (i < text.Length)
        {
            int found = text[i..].IndexOfAny(s_prefixes);
            if (found < 0)
            {
                return;
            }

            int start = i + found;
            int end = Match(text, start);
            if (end > start)
            {
                hits.Add(new DetectionHit(DetectorNames.SecretPrefix, DetectionChannel.Rules, baseOffset + start, end - start));
                i = end;
            }
            else
            {
                i = start + 1;
            }
        }
    }

    /// <summary>End of the secret starting at <paramref name="start"/>, or <paramref name="start"/> when it is not one.</summary>
    private static int Match(ReadOnlySpan<char> text, int start)
    {
        if (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] == '_'))
        {
            return start;
        }

        ReadOnlySpan<char> rest = text[start..];
        if (rest.StartsWith(PemBegin, StringComparison.Ordinal))
        {
            return MatchPem(text, start);
        }

        if (rest.StartsWith("AKIA", StringComparison.Ordinal) || rest.StartsWith("ASIA", StringComparison.Ordinal))
        {
            int n = CountWhile(rest[4..], static c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));
            return n == 16 && !IsWordChar(rest, 20) ? start + 20 : start;
        }

        if (rest.StartsWith("github_pat_", StringComparison.Ordinal))
        {
            int n = CountWhile(rest[11..], static c => char.IsAsciiLetterOrDigit(c) || c == '_');
            return n >= 22 ? start + 11 + n : start;
        }

        if (rest.StartsWith("gh", StringComparison.Ordinal))
        {
            int n = CountWhile(rest[4..], char.IsAsciiLetterOrDigit);
            return n >= 36 && !IsWordChar(rest, 4 + n) ? start + 4 + n : start;
        }

        int length = CountWhile(rest[3..], static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        ReadOnlySpan<char> key = rest.Slice(3, length);
        bool random = key.ContainsAnyInRange('0', '9') && key.ContainsAnyInRange('a', 'z') && key.ContainsAnyInRange('A', 'Z');
        return length >= 20 && random ? start + 3 + length : start;
    }

    /// <summary>`-----BEGIN [A-Z ]* PRIVATE KEY-----`, extended through the matching END line when it is in view.</summary>
    private static int MatchPem(ReadOnlySpan<char> text, int start)
    {
        ReadOnlySpan<char> rest = text[(start + PemBegin.Length)..];
        int label = CountWhile(rest, static c => char.IsAsciiLetterUpper(c) || c == ' ');
        ReadOnlySpan<char> afterLabel = rest[label..];
        if (label > 48 || !rest[..label].EndsWith("PRIVATE KEY", StringComparison.Ordinal) || !afterLabel.StartsWith("-----", StringComparison.Ordinal))
        {
            return start;
        }

        int headerEnd = start + PemBegin.Length + label + 5;
        int endMarker = text[headerEnd..].IndexOf("-----END ", StringComparison.Ordinal);
        if (endMarker < 0 || endMarker > 16384)
        {
            return headerEnd;
        }

        int close = text[(headerEnd + endMarker + 9)..].IndexOf("-----", StringComparison.Ordinal);
        return close < 0 ? headerEnd : headerEnd + endMarker + 9 + close + 5;
    }

    private static int CountWhile(ReadOnlySpan<char> text, Func<char, bool> predicate)
    {
        int n = 0;
        while (n < text.Length && n < 256 && predicate(text[n]))
        {
            n++;
        }

        return n;
    }

    private static bool IsWordChar(ReadOnlySpan<char> text, int index) =>
        index < text.Length && (char.IsAsciiLetterOrDigit(text[index]) || text[index] == '_');
}
