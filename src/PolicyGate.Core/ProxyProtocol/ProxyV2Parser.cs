using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using static PolicyGate.Core.ProxyProtocol.ProxyProtocolConstants;

namespace PolicyGate.Core.ProxyProtocol;

/// <summary>PROXY v2: 16-byte fixed header, address block, TLVs; total at most 2048 bytes.</summary>
/// <remarks>Fixed-header fields are checked as soon as their byte arrives, so a bad header never waits for more.</remarks>
internal static class ProxyV2Parser
{
    private const int VersionCommandOffset = 12;
    private const int FamilyOffset = 13;
    private const int LengthOffset = 14;

    /// <summary>Parses a buffer known to start with the v2 signature.</summary>
    public static ProxyParseResult Parse(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> fixedHeader = stackalloc byte[V2FixedHeaderLength];
        int available = (int)Math.Min(buffer.Length, V2FixedHeaderLength);
        buffer.Slice(0, available).CopyTo(fixedHeader);

        if (available > VersionCommandOffset && CheckVersionCommand(fixedHeader[VersionCommandOffset]) is { } versionError)
        {
            return ProxyParseResult.Fail(versionError);
        }
        ProxyAddressFamily family = ProxyAddressFamily.Unspec;
        if (available > FamilyOffset && CheckFamily(fixedHeader[FamilyOffset], out family) is { } familyError)
        {
            return ProxyParseResult.Fail(familyError);
        }
        if (available < V2FixedHeaderLength)
        {
            return ProxyParseResult.NeedMore;
        }
        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(fixedHeader[LengthOffset..]);
        int total = V2FixedHeaderLength + bodyLength;
        if (total > ProxyHeaderParser.MaxV2Length)
        {
            return ProxyParseResult.Fail($"PROXY v2: length {total} exceeds {ProxyHeaderParser.MaxV2Length}");
        }
        int addressLength = AddressLength(family);
        if (bodyLength < addressLength)
        {
            return ProxyParseResult.Fail(
                $"PROXY v2: address block of {bodyLength} bytes too short for {FamilyName(family)} ({addressLength})");
        }
        if (buffer.Length < total)
        {
            return ProxyParseResult.NeedMore;
        }

        ReadOnlySpan<byte> first = buffer.FirstSpan;
        Span<byte> scratch = first.Length >= total ? default : stackalloc byte[total];
        if (!scratch.IsEmpty)
        {
            buffer.Slice(0, total).CopyTo(scratch);
        }
        ReadOnlySpan<byte> header = scratch.IsEmpty ? first[..total] : scratch;
        return ParseBody(header, family, addressLength);
    }

    private static ProxyParseResult ParseBody(ReadOnlySpan<byte> header, ProxyAddressFamily family, int addressLength)
    {
        ReadOnlySpan<byte> addresses = header.Slice(V2FixedHeaderLength, addressLength);
        int tlvOffset = V2FixedHeaderLength + addressLength;
        if (ProxyTlvReader.Validate(header, tlvOffset) is { } tlvError)
        {
            return ProxyParseResult.Fail(tlvError);
        }
        IReadOnlyList<ProxyTlv> tlvs = ProxyTlvReader.Read(header[tlvOffset..]);
        if ((header[VersionCommandOffset] & 0x0F) == 0)
        {
            // LOCAL: the receiver uses the socket endpoints; the address block is skipped.
            return ProxyParseResult.Done(new ProxyHeader(2, ProxyCommand.Local, family, null, null, tlvs, header.Length));
        }
        return ProxyParseResult.Done(family switch
        {
            ProxyAddressFamily.Inet => InetHeader(addresses, 4, family, tlvs, header.Length),
            ProxyAddressFamily.Inet6 => InetHeader(addresses, 16, family, tlvs, header.Length),
            ProxyAddressFamily.Unix => new ProxyHeader(2, ProxyCommand.Proxy, family, null, null, tlvs, header.Length)
            {
                UnixSource = UnixPath(addresses[..V2UnixPathLength]),
                UnixDestination = UnixPath(addresses[V2UnixPathLength..]),
            },
            _ => new ProxyHeader(2, ProxyCommand.Proxy, family, null, null, tlvs, header.Length),
        });
    }

    private static ProxyHeader InetHeader(ReadOnlySpan<byte> block, int size, ProxyAddressFamily family, IReadOnlyList<ProxyTlv> tlvs, int length)
    {
        var source = new IPEndPoint(new IPAddress(block[..size]), BinaryPrimitives.ReadUInt16BigEndian(block[(2 * size)..]));
        var destination = new IPEndPoint(new IPAddress(block.Slice(size, size)), BinaryPrimitives.ReadUInt16BigEndian(block[(2 * size + 2)..]));
        return new ProxyHeader(2, ProxyCommand.Proxy, family, source, destination, tlvs, length);
    }

    private static string UnixPath(ReadOnlySpan<byte> path)
    {
        int nul = path.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? path : path[..nul]);
    }

    private static string? CheckVersionCommand(byte value)
    {
        if ((value & 0xF0) != V2Version)
        {
            return $"PROXY v2: version {value >> 4} is not 2";
        }
        int command = value & 0x0F;
        return command > 1 ? $"PROXY v2: command 0x{command:X} is neither LOCAL (0) nor PROXY (1)" : null;
    }

    /// <summary>Accepts UNSPEC (0x00) and the STREAM forms 0x11, 0x21, 0x31; DGRAM makes no sense on a TCP connection.</summary>
    private static string? CheckFamily(byte value, out ProxyAddressFamily family)
    {
        int familyCode = value >> 4;
        int transport = value & 0x0F;
        family = (ProxyAddressFamily)Math.Min(familyCode, 3);
        if (value != 0 && (familyCode is < 1 or > 3 || transport is < 1 or > 2))
        {
            return $"PROXY v2: family/transport byte 0x{value:X2} is not valid";
        }
        return transport == 2 ? $"PROXY v2: DGRAM transport (0x{value:X2}) is not supported on a stream connection" : null;
    }

    private static int AddressLength(ProxyAddressFamily family) => family switch
    {
        ProxyAddressFamily.Inet => V2InetAddressLength,
        ProxyAddressFamily.Inet6 => V2Inet6AddressLength,
        ProxyAddressFamily.Unix => V2UnixAddressLength,
        _ => 0,
    };

    private static string FamilyName(ProxyAddressFamily family) => family switch
    {
        ProxyAddressFamily.Inet => "INET",
        ProxyAddressFamily.Inet6 => "INET6",
        ProxyAddressFamily.Unix => "UNIX",
        _ => "UNSPEC",
    };
}
