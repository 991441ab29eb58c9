namespace PolicyGate.Core.Tls;

/// <summary>TLS wire constants used by the ClientHello parser (RFC 8446, RFC 6066, RFC 7301).</summary>
internal static class TlsConstants
{
    public const int RecordHeaderLength = 5;
    public const int HandshakeHeaderLength = 4;
    public const int MaxRecordPayload = 16 * 1024;
    public const byte HandshakeContentType = 0x16;
    public const byte ClientHelloType = 0x01;
    public const int RandomLength = 32;
    public const int MaxSessionIdLength = 32;
    public const int MaxHostNameLength = 255;
    public const int ServerNameExtension = 0x0000;
    public const int AlpnExtension = 0x0010;
    public const byte HostNameType = 0x00;
}
