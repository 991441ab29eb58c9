namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Well-known PROXY v2 TLV type codes (proxy-protocol.txt §2.2).</summary>
public static class ProxyTlvType
{
    public const byte Alpn = 0x01;
    public const byte Authority = 0x02;
    public const byte Crc32C = 0x03;
    public const byte Noop = 0x04;
    public const byte UniqueId = 0x05;
    public const byte Ssl = 0x20;
    public const byte NetNamespace = 0x30;
}
