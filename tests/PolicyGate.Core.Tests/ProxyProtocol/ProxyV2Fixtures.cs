using System.Buffers.Binary;

namespace PolicyGate.Core.Tests.ProxyProtocol;

/// <summary>Hand-built PROXY v2 headers (proxy-protocol.txt §2.2) used as parser fixtures.</summary>
internal static class ProxyV2Fixtures
{
    public static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>PROXY TCP/IPv4 192.0.2.10:51000 → 198.51.100.7:8443 with AUTHORITY "app.example", ALPN "h2", NOOP.</summary>
    public static byte[] InetWithTlvs =>
    [
        .. Signature,
        0x21, 0x11, 0x00, 0x25,                     // v2 PROXY, INET STREAM, length 37 = 12 + 25 (TLVs)
        192, 0, 2, 10,                              // source
        198, 51, 100, 7,                            // destination
        0xC7, 0x38,                                 // 51000
        0x20, 0xFB,                                 // 8443
        0x02, 0x00, 0x0B, (byte)'a', (byte)'p', (byte)'p', (byte)'.', (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
        0x01, 0x00, 0x02, (byte)'h', (byte)'2',     // ALPN
        0x04, 0x00, 0x03, 0x00, 0x00, 0x00,         // NOOP, 3 bytes
    ];

    /// <summary>PROXY TCP/IPv6 [2001:db8::1]:443 → [2001:db8::2]:8080, no TLVs.</summary>
    public static byte[] Inet6 =>
    [
        .. Signature,
        0x21, 0x21, 0x00, 0x24,
        0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
        0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
        0x01, 0xBB,
        0x1F, 0x90,
    ];

    /// <summary>LOCAL (health check from the proxy itself), UNSPEC, no address block.</summary>
    public static byte[] LocalUnspec => [.. Signature, 0x20, 0x00, 0x00, 0x00];

    /// <summary>LOCAL that still carries an INET block (receivers must skip it).</summary>
    public static byte[] LocalInet => [.. Signature, 0x20, 0x11, 0x00, 0x0C, 10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x50, 0x00, 0x51];

    /// <summary>PROXY UNSPEC with one custom TLV (0xE0, "x").</summary>
    public static byte[] ProxyUnspec => [.. Signature, 0x21, 0x00, 0x00, 0x04, 0xE0, 0x00, 0x01, (byte)'x'];

    /// <summary>PROXY UNIX STREAM /run/client.sock → /run/app.sock.</summary>
    public static byte[] Unix
    {
        get
        {
            byte[] header = Build(0x21, 0x31, new byte[216]);
            "/run/client.sock"u8.CopyTo(header.AsSpan(16));
            "/run/app.sock"u8.CopyTo(header.AsSpan(16 + 108));
            return header;
        }
    }

    /// <summary>Signature + version/command + family/transport + big-endian length + body.</summary>
    public static byte[] Build(byte versionCommand, byte familyTransport, ReadOnlySpan<byte> body, int? declaredLength = null)
    {
        var header = new byte[16 + body.Length];
        Signature.CopyTo(header, 0);
        header[12] = versionCommand;
        header[13] = familyTransport;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(declaredLength ?? body.Length));
        body.CopyTo(header.AsSpan(16));
        return header;
    }
}
