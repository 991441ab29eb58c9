using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>Classifies addresses the private-address guard protects: loopback, RFC 1918, link-local, CGNAT, ULA, unspecified, multicast, v4-mapped private.</summary>
public static class PrivateAddress
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPrivate(address.MapToIPv4());
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] is >= 64 and <= 127);
        }

        return IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address)
            || (b[0] & 0xFE) == 0xFC
            || (b[0] == 0xFE && (b[1] & 0xC0) is 0x80 or 0xC0)
            || b[0] == 0xFF
            || IsIPv4Compatible(b);
    }

    /// <summary>Deprecated ::a.b.c.d and NAT64-less embeddings are treated as private too (fail closed).</summary>
    private static bool IsIPv4Compatible(ReadOnlySpan<byte> b) => b[..12].IndexOfAnyExcept((byte)0) < 0;
}
