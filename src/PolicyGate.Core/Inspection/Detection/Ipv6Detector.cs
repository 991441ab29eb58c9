using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Channel E: IPv6 addresses (full, compressed, IPv4-mapped/embedded), anchored on `:` and validated by the platform parser.</summary>
internal static class Ipv6Detector
{
    private static readonly SearchValues<char> s_body = SearchValues.Create("0123456789abcdefABCDEF:.");

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, List<DetectionHit> hits)
    {
        int i = 0;
        while (i < text.Length)
        {
            int found = text[i..].IndexOf(':');
            if (found < 0)
            {
                return;
            }

            int colon = i + found;
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
            if (end - start < 6 || !IsBoundary(text, start - 1) || !IsBoundary(text, end))
            {
                continue;
            }

            ReadOnlySpan<char> candidate = text[start..end];
            if (candidate.Count(':') >= 2 && IPAddress.TryParse(candidate, out IPAddress? address)
                && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                hits.Add(new DetectionHit(DetectorNames.Ipv6, DetectionChannel.Automaton, baseOffset + start, end - start));
            }
        }
    }

    private static bool IsBoundary(ReadOnlySpan<char> text, int index) =>
        index < 0 || index >= text.Length || !(char.IsAsciiLetterOrDigit(text[index]) || text[index] is '_' or ':' or '.');
}
