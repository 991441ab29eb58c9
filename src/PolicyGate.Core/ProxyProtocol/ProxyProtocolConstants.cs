namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Wire constants of the PROXY protocol (haproxy proxy-protocol.txt).</summary>
internal static class ProxyProtocolConstants
{
    public const int V2FixedHeaderLength = 16;
    public const int V2InetAddressLength = 12;
    public const int V2Inet6AddressLength = 36;
    public const int V2UnixAddressLength = 216;
    public const int V2UnixPathLength = 108;
    public const byte V2Version = 0x20;

    /// <summary>"PROXY " — every v1 line starts with it.</summary>
    public static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    /// <summary>The 12-byte v2 signature \r\n\r\n\0\r\nQUIT\n.</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
}
