using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Channel E: IPv6 addresses (full, compressed, IPv4-mapped/embedded), anchored on `:` and validated by the platform parser.</summary>
internal static class Ipv6Detector
{
    private static readonly SearchValues<char> s_body = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>
    /// Every IPv6 address has a colon preceded by a hex digit or starts with `::`, so candidates are anchored on those
    /// two-character shapes (vectorized); the `":` of JSON keys and `word: ` of prose never start a candidate.
    /// </summary>
    private static readonly SearchValues<string> s_anchors = SearchValues.Create(
        ["::", "0:", "1:", "2:", "3:", "4:", "5:", "6:", "7:", "8:", "9:", "a:", "b:", "c:", "d:", "e:", "f:"], StringComparison.OrdinalIgnoreCase);

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, List<DetectionHit> hits)
    {
        int i = 0;
        while (i < text.Length)
        {
            int found = text[i..].IndexOfAny(s_anchors);
            if (found < 0)
            {
                return;
            }

            int colon = text[i + found] == ':' ? i + found : i + found + 1;
            int start = colon;
            while (start > 0 && colon - start < 45 && s_body.Contains(text[start - 1]))
            {
                start--;
            }

            int end = colon + 1;
            while (end < text.Length && end - start < 46 && s_body.Contains(text[end]))
            {
                end++;
            }

            while (end > colon + 1 && text[end - 1] == '.')
            {
                end--;
            }

            i = Math.Max(end, colon + 1);
            if (end - start < 6 || !IsBoundary(text, start - 1) || !(IsBoundary(text, end) || ZoneEnd(text, end) > end))
            {
                continue;
            }

            ReadOnlySpan<char> candidate = text[start..end];
            if (candidate.Count(':') >= 2 && IPAddress.TryParse(candidate, out IPAddress? address)
                && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                int zoneEnd = ZoneEnd(text, end);
                hits.Add(new DetectionHit(DetectorNames.Ipv6, DetectionChannel.Automaton, baseOffset + start, zoneEnd - start));
                i = Math.Max(i, zoneEnd);
            }
        }
    }

    /// <summary>End of a zone index after an address (`%eth0`, `%3`, URL-encoded `%25en0`), or <paramref name="end"/> when there is none.</summary>
    private static int ZoneEnd(ReadOnlySpan<char> text, int end)
    {
        if (end >= text.Length || text[end] != '%')
        {
            return end;
        }

        int zone = end + 1;
        while (zone < text.Length && zone - end <= 16 && (char.IsAsciiLetterOrDigit(text[zone]) || text[zone] is '_' or '-' or '.'))
        {
            zone++;
        }

        while (zone > end + 1 && text[zone - 1] == '.')
        {
            zone--;
        }

        return zone > end + 1 && IsBoundary(text, zone) ? zone : end;
    }

    private static bool IsBoundary(ReadOnlySpan<char> text, int index) =>
        index < 0 || index >= text.Length || !(char.IsAsciiLetterOrDigit(text[index]) || text[index] is '_' or ':' or '.');
}
