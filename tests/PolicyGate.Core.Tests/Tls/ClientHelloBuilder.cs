using System.Text;

namespace PolicyGate.Core.Tests.Tls;

/// <summary>Builds ClientHello bytes field by field (RFC 8446 §4.1.2) so each malformed case is exact.</summary>
internal static class ClientHelloBuilder
{
    /// <summary>A ClientHello body; <paramref name="extensions"/> null means no extensions block at all.</summary>
    public static byte[] Body(byte[]? extensions, int sessionIdLength = 32, byte[]? cipherSuites = null, byte[]? compression = null, int legacyVersion = 0x0303)
    {
        cipherSuites ??= [0x13, 0x01, 0x13, 0x02];
        compression ??= [0x00];
        byte[] head =
        [
            (byte)(legacyVersion >> 8), (byte)legacyVersion,
            .. new byte[32],
            (byte)sessionIdLength, .. new byte[sessionIdLength],
            .. U16(cipherSuites.Length), .. cipherSuites,
            (byte)compression.Length, .. compression,
        ];
        return extensions is null ? head : [.. head, .. U16(extensions.Length), .. extensions];
    }

    public static byte[] Extension(int type, byte[] data) => [.. U16(type), .. U16(data.Length), .. data];

    public static byte[] Sni(params string[] hostNames) =>
        Extension(0x0000, Vector16([.. hostNames.SelectMany(name => (byte[])[0x00, .. Vector16(Encoding.ASCII.GetBytes(name))])]));

    public static byte[] Alpn(params string[] protocols) =>
        Extension(0x0010, Vector16([.. protocols.SelectMany(p => (byte[])[(byte)p.Length, .. Encoding.ASCII.GetBytes(p)])]));

    /// <summary>Handshake header (type, 24-bit length) + body.</summary>
    public static byte[] Handshake(byte[] body, byte type = 0x01) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    /// <summary>Frames <paramref name="message"/> in handshake records of at most <paramref name="recordSize"/> bytes.</summary>
    public static byte[] Records(byte[] message, int recordSize = 16384, int recordVersion = 0x0301) =>
        [.. message.Chunk(recordSize).SelectMany(part => (byte[])[0x16, (byte)(recordVersion >> 8), (byte)recordVersion, .. U16(part.Length), .. part])];

    /// <summary>Frames <paramref name="message"/> in two records split at <paramref name="at"/>.</summary>
    public static byte[] TwoRecords(byte[] message, int at) =>
        [.. Records(message[..at]), .. Records(message[at..], recordVersion: 0x0303)];

    /// <summary>A whole single-record hello with the given extensions.</summary>
    public static byte[] Hello(params byte[][] extensions) => Records(Handshake(Body([.. extensions.SelectMany(e => e)])));

    /// <summary>The handshake message carried by single- or multi-record <paramref name="records"/>.</summary>
    public static byte[] MessageOf(byte[] records)
    {
        var message = new List<byte>();
        for (int offset = 0; offset + 5 <= records.Length; offset += 5 + (records[offset + 3] << 8 | records[offset + 4]))
        {
            message.AddRange(records.AsSpan(offset + 5, records[offset + 3] << 8 | records[offset + 4]).ToArray());
        }
        int length = 4 + (message[1] << 16 | message[2] << 8 | message[3]);
        return [.. message.Take(length)];
    }

    public static byte[] Vector16(byte[] data) => [.. U16(data.Length), .. data];

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
