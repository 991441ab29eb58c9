using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Channel E: e-mail addresses, anchored on `@`, with local-part and domain rules (TLD alphabetic, not a file extension).</summary>
internal static class EmailDetector
{
    private static readonly SearchValues<char> s_local = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-");
    private static readonly SearchValues<char> s_domain = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
    private static readonly SearchValues<char> s_asciiLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
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
            while (localStart > 0 && at - localStart < 64 && s_local.Contains(text[localStart - 1]))
            {
                localStart--;
            }

            int domainEnd = at + 1;
            while (domainEnd < text.Length && domainEnd - at <= 253 && s_domain.Contains(text[domainEnd]))
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
        if (tld.Length < 2 || tld.Length > 24 || tld.ContainsAnyExcept(s_asciiLetters))
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
