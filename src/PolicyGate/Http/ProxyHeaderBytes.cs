using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyGate.Http;

/// <summary>
/// The outbound PROXY header for a pp = true backend connection (client → original destination).
/// TEMPORARY stand-in until PolicyGate.Core.ProxyProtocol.ProxyHeaderWriter (branch edgeproto) is merged.
/// </summary>
internal static class ProxyHeaderBytes
{
    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] Create(int version, IPEndPoint source, IPEndPoint target)
    {
        IPAddress src = source.Address;
        IPAddress dst = target.Address;
        bool v4 = Unmap(ref src) & Unmap(ref dst);
        if (!v4)
        {
            src = src.MapToIPv6();
            dst = dst.MapToIPv6();
        }

        if (version == 1)
        {
            return Encoding.ASCII.GetBytes($"PROXY {(v4 ? "TCP4" : "TCP6")} {src} {dst} {source.Port} {target.Port}\r\n");
        }

        int addressLength = v4 ? 12 : 36;
        byte[] header = new byte[16 + addressLength];
        V2Signature.CopyTo(header);
        header[12] = 0x21;
        header[13] = v4 ? (byte)0x11 : (byte)0x21;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)addressLength);
        int size = v4 ? 4 : 16;
        src.TryWriteBytes(header.AsSpan(16, size), out _);
        dst.TryWriteBytes(header.AsSpan(16 + size, size), out _);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16 + 2 * size), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18 + 2 * size), (ushort)target.Port);
        return header;
    }

    private static bool Unmap(ref IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork;
    }
}
