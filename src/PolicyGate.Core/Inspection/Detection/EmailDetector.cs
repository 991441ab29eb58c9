using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel E: e-mail addresses, anchored on `@`, with local-part and domain rules (TLD alphabetic or punycode, not a file
/// extension). Internationalised addresses (`jürgen@müller-bau.de`) count: UTF-8 letters are part of both sides, while
/// UTF-8 punctuation (no-break space, « », curly quotes: lead bytes C2 and E2) ends them.
/// </summary>
internal static class EmailDetector
{
    private static readonly SearchValues<char> s_local = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-");
    private static readonly SearchValues<char> s_domain = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
    private static readonly SearchValues<char> s_asciiLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static readonly SearchValues<char> s_utf8Punctuation = SearchValues.Create("\u00C2\u00E2");
    private static readonly HashSet<string> s_fileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "css", "ts", "map", "json", "txt", "md",
    };

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, List<DetectionHit> hits)
    {
        int i = 0;
        while (i < text.Length)
        {
            int found = text[i..].IndexOf('@');
            if (found < 0)
            {
                return;
            }

            int at = i + found;
            i = at + 1;
            int localStart = at;
            while (localStart > 0 && at - localStart < 64 && (s_local.Contains(text[localStart - 1]) || text[localStart - 1] >= 0x80))
            {
                localStart--;
            }

            int punctuation = text[localStart..at].LastIndexOfAny(s_utf8Punctuation);
            if (punctuation >= 0)
            {
                localStart += punctuation + 1;
                while (localStart < at && text[localStart] is >= '\u0080' and < '\u00C0')
                {
                    localStart++;
                }
            }

            int domainEnd = at + 1;
            while (domainEnd < text.Length && domainEnd - at <= 253 && (s_domain.Contains(text[domainEnd]) || (text[domainEnd] >= 0x80 && !s_utf8Punctuation.Contains(text[domainEnd]))))
            {
                domainEnd++;
            }

            while (domainEnd > at + 1 && text[domainEnd - 1] is '.' or '-')
            {
                domainEnd--;
            }

            if (IsLocalPart(text[localStart..at]) && IsDomain(text[(at + 1)..domainEnd]))
            {
                hits.Add(new DetectionHit(DetectorNames.Email, DetectionChannel.Automaton, baseOffset + localStart, domainEnd - localStart));
                i = domainEnd;
            }
        }
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local) =>
        local.Length > 0 && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal);

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        int lastDot = domain.LastIndexOf('.');
        if (lastDot <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> tld = domain[(lastDot + 1)..];
        bool punycode = tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) && tld.Length > 5;
        bool letters = !tld.ContainsAnyExcept(s_asciiLetters) || (tld.ContainsAnyInRange('\u0080', '\u00FF') && !tld.ContainsAnyInRange('0', '9'));
        if (tld.Length < 2 || tld.Length > 24 || !(letters || punycode))
        {
            return false;
        }

        if (s_fileExtensions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tld))
        {
            return false;
        }

        foreach (Range range in domain.Split('.'))
        {
            ReadOnlySpan<char> label = domain[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
        }

        return true;
    }
}
