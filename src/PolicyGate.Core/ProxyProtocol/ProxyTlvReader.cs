using System.Buffers.Binary;
using System.Numerics;
using System.Text.Unicode;

namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Validates and copies the TLV area of a PROXY v2 header (type, 16-bit big-endian length, value).</summary>
internal static class ProxyTlvReader
{
    private const int TlvHeaderLength = 3;
    private const int Crc32CLength = 4;

    /// <summary>Null when every TLV fits exactly, AUTHORITY is UTF-8 and a CRC32C TLV (if any) matches; else the error.</summary>
    public static string? Validate(ReadOnlySpan<byte> header, int tlvOffset)
    {
        int offset = tlvOffset;
        while (offset < header.Length)
        {
            if (header.Length - offset < TlvHeaderLength)
            {
                return $"PROXY v2: truncated TLV header at offset {offset}";
            }
            byte type = header[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(header[(offset + 1)..]);
            int valueOffset = offset + TlvHeaderLength;
            if (length > header.Length - valueOffset)
            {
                return $"PROXY v2: TLV 0x{type:X2} at offset {offset} declares {length} bytes but only {header.Length - valueOffset} remain";
            }
            ReadOnlySpan<byte> value = header.Slice(valueOffset, length);
            if (type == ProxyTlvType.Authority && !Utf8.IsValid(value))
            {
                return "PROXY v2: AUTHORITY TLV is not valid UTF-8";
            }
            if (type == ProxyTlvType.Crc32C && CheckCrc(header, valueOffset, length) is { } crcError)
            {
                return crcError;
            }
            offset = valueOffset + length;
        }
        return null;
    }

    /// <summary>Copies the (validated) TLV area once and exposes each value as a slice of that copy.</summary>
    public static IReadOnlyList<ProxyTlv> Read(ReadOnlySpan<byte> area)
    {
        if (area.IsEmpty)
        {
            return [];
        }
        byte[] copy = area.ToArray();
        var tlvs = new List<ProxyTlv>();
        int offset = 0;
        while (offset < copy.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(offset + 1));
            tlvs.Add(new ProxyTlv(copy[offset], copy.AsMemory(offset + TlvHeaderLength, length)));
            offset += TlvHeaderLength + length;
        }
        return tlvs;
    }

    private static string? CheckCrc(ReadOnlySpan<byte> header, int valueOffset, int length)
    {
        if (length != Crc32CLength)
        {
            return $"PROXY v2: CRC32C TLV has {length} bytes, expected {Crc32CLength}";
        }
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(header[valueOffset..]);
        uint actual = Crc32C(header[..valueOffset], ~0u);
        actual = Crc32C([0, 0, 0, 0], actual);
        actual = ~Crc32C(header[(valueOffset + Crc32CLength)..], actual);
        return actual == expected ? null : $"PROXY v2: CRC32C 0x{expected:X8} does not match computed 0x{actual:X8}";
    }

    /// <summary>CRC-32C (Castagnoli) update without the final inversion; hardware-accelerated where available.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> data, uint crc)
    {
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return crc;
    }
}
