using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Unicode;
using static PolicyGate.Core.ProxyProtocol.ProxyProtocolConstants;

namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Writes outbound PROXY headers (always the PROXY command, no TLVs) naming client → original destination.</summary>
/// <remarks>
/// Addresses are normalised first: IPv4-mapped IPv6 becomes IPv4, scope ids are dropped; when the two families still
/// differ, the IPv4 one is mapped to IPv6, so a header is TCP4/INET only when both ends are IPv4, else TCP6/INET6.
/// </remarks>
public static class ProxyHeaderWriter
{
    /// <summary>Enough room for any header this writer produces (v1 TCP6 is at most 104 bytes).</summary>
    private const int MaxWrittenLength = ProxyHeaderParser.MaxV1Length;

    /// <summary>Writes a v1 or v2 header into <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int version, IPEndPoint source, IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        (IPAddress sourceAddress, IPAddress targetAddress) = Normalize(source.Address, target.Address);
        return version switch
        {
            1 => WriteV1(destination, sourceAddress, targetAddress, source.Port, target.Port),
            2 => WriteV2(destination, sourceAddress, targetAddress, source.Port, target.Port),
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "PROXY header version must be 1 or 2"),
        };
    }

    /// <summary>Returns a new array holding a v1 or v2 header.</summary>
    public static byte[] Create(int version, IPEndPoint source, IPEndPoint target)
    {
        Span<byte> buffer = stackalloc byte[MaxWrittenLength];
        int written = Write(buffer, version, source, target);
        return buffer[..written].ToArray();
    }

    private static int WriteV1(Span<byte> destination, IPAddress source, IPAddress target, int sourcePort, int targetPort)
    {
        string protocol = source.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        if (!Utf8.TryWrite(destination, $"PROXY {protocol} {source} {target} {sourcePort} {targetPort}\r\n", out int written))
        {
            throw new ArgumentException("destination is too small for the PROXY v1 header", nameof(destination));
        }
        return written;
    }

    private static int WriteV2(Span<byte> destination, IPAddress source, IPAddress target, int sourcePort, int targetPort)
    {
        bool inet = source.AddressFamily == AddressFamily.InterNetwork;
        int size = inet ? 4 : 16;
        int addressLength = inet ? V2InetAddressLength : V2Inet6AddressLength;
        int total = V2FixedHeaderLength + addressLength;
        if (destination.Length < total)
        {
            throw new ArgumentException("destination is too small for the PROXY v2 header", nameof(destination));
        }
        V2Signature.CopyTo(destination);
        destination[12] = V2Version | 0x01;
        destination[13] = inet ? (byte)0x11 : (byte)0x21;
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)addressLength);
        Span<byte> block = destination.Slice(V2FixedHeaderLength, addressLength);
        source.TryWriteBytes(block[..size], out _);
        target.TryWriteBytes(block.Slice(size, size), out _);
        BinaryPrimitives.WriteUInt16BigEndian(block[(2 * size)..], (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(block[(2 * size + 2)..], (ushort)targetPort);
        return total;
    }

    private static (IPAddress Source, IPAddress Target) Normalize(IPAddress source, IPAddress target)
    {
        source = Canonical(source);
        target = Canonical(target);
        if (source.AddressFamily == target.AddressFamily)
        {
            return (source, target);
        }
        return (source.MapToIPv6(), target.MapToIPv6());
    }

    private static IPAddress Canonical(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }
}
