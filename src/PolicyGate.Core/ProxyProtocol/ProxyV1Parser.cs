using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyGate.Core.ProxyProtocol;

/// <summary>PROXY v1: "PROXY TCP4|TCP6 src dst sport dport\r\n" or "PROXY UNKNOWN...\r\n", at most 107 bytes.</summary>
/// <remarks>Fields are validated as soon as they are complete, so garbage is refused before the CRLF arrives.</remarks>
internal static class ProxyV1Parser
{
    private const int MaxLineContent = ProxyHeaderParser.MaxV1Length - 2;
    private const int MaxIPv6TextLength = 45;
    private const int DestinationPortField = 4;

    private static readonly string[] s_fieldNames =
        ["protocol", "source address", "destination address", "source port", "destination port"];

    private static readonly SearchValues<byte> s_ipv6Chars = SearchValues.Create("0123456789abcdefABCDEF:."u8);

    /// <summary>Parses a buffer known to start with "PROXY ".</summary>
    public static ProxyParseResult Parse(in ReadOnlySequence<byte> buffer)
    {
        int available = (int)Math.Min(buffer.Length, ProxyHeaderParser.MaxV1Length);
        Span<byte> bytes = stackalloc byte[ProxyHeaderParser.MaxV1Length];
        bytes = bytes[..available];
        buffer.Slice(0, available).CopyTo(bytes);

        int stop = bytes.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        if (stop < 0)
        {
            return available == ProxyHeaderParser.MaxV1Length ? NoCrlf() : ParseLine(bytes, lineLength: 0);
        }
        if (bytes[stop] != (byte)'\r')
        {
            return ProxyParseResult.Fail(bytes[stop] == (byte)'\n'
                ? $"PROXY v1: LF without CR at offset {stop}"
                : $"PROXY v1: byte 0x{bytes[stop]:X2} at offset {stop} is not printable ASCII");
        }
        if (stop > MaxLineContent)
        {
            return NoCrlf();
        }
        if (stop + 1 == available)
        {
            return ParseLine(bytes[..stop], lineLength: 0);
        }
        if (bytes[stop + 1] != (byte)'\n')
        {
            return ProxyParseResult.Fail($"PROXY v1: CR not followed by LF at offset {stop}");
        }
        return ParseLine(bytes[..stop], lineLength: stop + 2);
    }

    private static ProxyParseResult NoCrlf() =>
        ProxyParseResult.Fail($"PROXY v1: no CRLF within {ProxyHeaderParser.MaxV1Length} bytes");

    /// <summary>Validates the fields of <paramref name="line"/> (without CRLF); lineLength 0 = CRLF not seen yet.</summary>
    private static ProxyParseResult ParseLine(ReadOnlySpan<byte> line, int lineLength)
    {
        bool complete = lineLength > 0;
        ReadOnlySpan<byte> rest = line[ProxyProtocolConstants.V1Prefix.Length..];
        ProxyAddressFamily family = ProxyAddressFamily.Unspec;
        IPAddress? source = null;
        IPAddress? destination = null;
        int sourcePort = 0;
        int field = 0;
        while (true)
        {
            if (field > DestinationPortField)
            {
                return ProxyParseResult.Fail("PROXY v1: unexpected data after destination port");
            }
            int space = rest.IndexOf((byte)' ');
            if (space < 0 && !complete)
            {
                return ProxyParseResult.NeedMore; // the last field may still grow
            }
            ReadOnlySpan<byte> token = space < 0 ? rest : rest[..space];
            if (token.IsEmpty)
            {
                return ProxyParseResult.Fail($"PROXY v1: empty {s_fieldNames[field]} (fields are separated by single spaces)");
            }
            string? error = null;
            switch (field)
            {
                case 0:
                    if (token.SequenceEqual("UNKNOWN"u8))
                    {
                        // The rest of an UNKNOWN line is ignored (proxy-protocol.txt §2.1).
                        return complete
                            ? ProxyParseResult.Done(new ProxyHeader(1, ProxyCommand.Proxy, ProxyAddressFamily.Unspec, null, null, [], lineLength))
                            : ProxyParseResult.NeedMore;
                    }
                    error = TryParseProtocol(token, out family);
                    break;
                case 1:
                    error = TryParseAddress(token, family, field, out source);
                    break;
                case 2:
                    error = TryParseAddress(token, family, field, out destination);
                    break;
                case 3:
                    error = TryParsePort(token, field, out sourcePort);
                    break;
                default:
                    error = TryParsePort(token, field, out int destinationPort);
                    if (error is null && space < 0)
                    {
                        return ProxyParseResult.Done(new ProxyHeader(1, ProxyCommand.Proxy, family,
                            new IPEndPoint(source!, sourcePort), new IPEndPoint(destination!, destinationPort), [], lineLength));
                    }
                    break;
            }
            if (error is not null)
            {
                return ProxyParseResult.Fail(error);
            }
            field++;
            if (space < 0)
            {
                return ProxyParseResult.Fail($"PROXY v1: missing {s_fieldNames[field]}");
            }
            rest = rest[(space + 1)..];
        }
    }

    private static string? TryParseProtocol(ReadOnlySpan<byte> token, out ProxyAddressFamily family)
    {
        family = token.SequenceEqual("TCP4"u8) ? ProxyAddressFamily.Inet
            : token.SequenceEqual("TCP6"u8) ? ProxyAddressFamily.Inet6
            : ProxyAddressFamily.Unspec;
        return family == ProxyAddressFamily.Unspec
            ? $"PROXY v1: protocol '{Encoding.ASCII.GetString(token)}' is not TCP4, TCP6 or UNKNOWN"
            : null;
    }

    private static string? TryParseAddress(ReadOnlySpan<byte> token, ProxyAddressFamily family, int field, out IPAddress? address)
    {
        bool ok = family == ProxyAddressFamily.Inet ? TryParseIPv4(token, out address) : TryParseIPv6(token, out address);
        return ok
            ? null
            : $"PROXY v1: {s_fieldNames[field]} '{Encoding.ASCII.GetString(token)}' is not a valid {(family == ProxyAddressFamily.Inet ? "IPv4" : "IPv6")} address";
    }

    private static string? TryParsePort(ReadOnlySpan<byte> token, int field, out int port)
    {
        DecimalStatus status = ParseDecimal(token, ushort.MaxValue, out port);
        return status switch
        {
            DecimalStatus.Ok => null,
            DecimalStatus.LeadingZero => $"PROXY v1: {s_fieldNames[field]} '{Encoding.ASCII.GetString(token)}' has a leading zero",
            DecimalStatus.TooLarge => $"PROXY v1: {s_fieldNames[field]} '{Encoding.ASCII.GetString(token)}' is outside 0..65535",
            _ => $"PROXY v1: {s_fieldNames[field]} '{Encoding.ASCII.GetString(token)}' is not a number",
        };
    }

    /// <summary>Strict dotted quad: four decimal octets 0..255, no leading zeros (they would read as octal elsewhere).</summary>
    private static bool TryParseIPv4(ReadOnlySpan<byte> text, out IPAddress? address)
    {
        address = null;
        Span<byte> octets = stackalloc byte[4];
        for (int i = 0; i < 4; i++)
        {
            int dot = text.IndexOf((byte)'.');
            if ((dot < 0) != (i == 3) || ParseDecimal(dot < 0 ? text : text[..dot], byte.MaxValue, out int octet) != DecimalStatus.Ok)
            {
                return false;
            }
            octets[i] = (byte)octet;
            text = dot < 0 ? [] : text[(dot + 1)..];
        }
        address = new IPAddress(octets);
        return true;
    }

    private static bool TryParseIPv6(ReadOnlySpan<byte> text, out IPAddress? address)
    {
        address = null;
        if (text.Length > MaxIPv6TextLength || text.ContainsAnyExcept(s_ipv6Chars))
        {
            return false;
        }
        Span<char> chars = stackalloc char[MaxIPv6TextLength];
        int length = Encoding.ASCII.GetChars(text, chars);
        return IPAddress.TryParse(chars[..length], out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private enum DecimalStatus { Ok, NotNumber, LeadingZero, TooLarge }

    private static DecimalStatus ParseDecimal(ReadOnlySpan<byte> text, int max, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return DecimalStatus.NotNumber;
        }
        if (text.Length > 1 && text[0] == (byte)'0')
        {
            return DecimalStatus.LeadingZero;
        }
        if (text.Length > 5)
        {
            return DecimalStatus.TooLarge;
        }
        foreach (byte digit in text)
        {
            value = value * 10 + (digit - '0');
        }
        return value > max ? DecimalStatus.TooLarge : DecimalStatus.Ok;
    }
}
