using System.Buffers;
using System.Text;
using static PolicyGate.Core.Tls.TlsConstants;

namespace PolicyGate.Core.Tls;

/// <summary>Reads a ClientHello body (RFC 8446 §4.1.2) and its server_name (RFC 6066) and ALPN (RFC 7301) extensions.</summary>
internal static class ClientHelloReader
{
    private static readonly SearchValues<byte> s_hostNameBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._"u8);

    /// <summary>Parses the body that follows the 4-byte handshake header.</summary>
    public static ClientHelloResult Read(ReadOnlySpan<byte> body, int recordVersion)
    {
        var reader = new TlsSpanReader(body);
        if (!reader.TryReadUInt16(out int legacyVersion))
        {
            return Truncated("legacy_version");
        }
        if (legacyVersion >> 8 != 3)
        {
            return ClientHelloResult.Fail($"ClientHello: legacy_version 0x{legacyVersion:X4} is not TLS");
        }
        if (!reader.TrySkip(RandomLength))
        {
            return Truncated("random");
        }
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> sessionId))
        {
            return Truncated("legacy_session_id");
        }
        if (sessionId.Length > MaxSessionIdLength)
        {
            return ClientHelloResult.Fail($"ClientHello: legacy_session_id of {sessionId.Length} bytes exceeds {MaxSessionIdLength}");
        }
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> cipherSuites))
        {
            return Truncated("cipher_suites");
        }
        if (cipherSuites.IsEmpty || cipherSuites.Length % 2 != 0)
        {
            return ClientHelloResult.Fail($"ClientHello: cipher_suites of {cipherSuites.Length} bytes is not a non-empty list of 2-byte suites");
        }
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> compression))
        {
            return Truncated("legacy_compression_methods");
        }
        if (compression.IsEmpty)
        {
            return ClientHelloResult.Fail("ClientHello: legacy_compression_methods is empty");
        }
        if (reader.IsEmpty)
        {
            // Hellos without extensions are legal (pre-TLS 1.2 clients): no SNI, no ALPN.
            return ClientHelloResult.Done(new ClientHelloInfo(null, [], recordVersion));
        }
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> extensions))
        {
            return Truncated("extensions");
        }
        if (!reader.IsEmpty)
        {
            return ClientHelloResult.Fail($"ClientHello: {reader.Remaining} bytes after the extensions");
        }
        return ReadExtensions(extensions, recordVersion);
    }

    private static ClientHelloResult ReadExtensions(ReadOnlySpan<byte> extensions, int recordVersion)
    {
        var reader = new TlsSpanReader(extensions);
        string? serverName = null;
        IReadOnlyList<string>? alpn = null;
        bool sawServerName = false;
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt16(out int type) || !reader.TryReadVector16(out ReadOnlySpan<byte> data))
            {
                return ClientHelloResult.Fail("ClientHello: an extension runs past the end of the extensions block");
            }
            string? error = null;
            if (type == ServerNameExtension)
            {
                error = sawServerName ? "ClientHello: duplicate server_name extension" : ReadServerName(data, out serverName);
                sawServerName = true;
            }
            else if (type == AlpnExtension)
            {
                error = alpn is not null ? "ClientHello: duplicate ALPN extension" : ReadAlpn(data, out alpn);
            }
            if (error is not null)
            {
                return ClientHelloResult.Fail(error);
            }
        }
        return ClientHelloResult.Done(new ClientHelloInfo(serverName, alpn ?? [], recordVersion));
    }

    private static string? ReadServerName(ReadOnlySpan<byte> data, out string? serverName)
    {
        serverName = null;
        if (!TlsSpanReader.TryReadWholeVector16(data, out ReadOnlySpan<byte> list))
        {
            return "ClientHello: server_name list length does not match the extension length";
        }
        if (list.IsEmpty)
        {
            return "ClientHello: server_name list is empty";
        }
        var reader = new TlsSpanReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt8(out int nameType) || !reader.TryReadVector16(out ReadOnlySpan<byte> name))
            {
                return "ClientHello: a server_name entry runs past the end of the list";
            }
            if (nameType != HostNameType)
            {
                return $"ClientHello: server_name type {nameType} is not host_name (0)";
            }
            if (serverName is not null)
            {
                return "ClientHello: more than one SNI host_name";
            }
            if (name.IsEmpty || name.Length > MaxHostNameLength)
            {
                return $"ClientHello: SNI host_name of {name.Length} bytes is not 1..{MaxHostNameLength}";
            }
            int bad = name.IndexOfAnyExcept(s_hostNameBytes);
            if (bad >= 0)
            {
                return $"ClientHello: SNI host_name has byte 0x{name[bad]:X2} at {bad}, not a DNS name character";
            }
            serverName = Encoding.ASCII.GetString(name);
        }
        return null;
    }

    private static string? ReadAlpn(ReadOnlySpan<byte> data, out IReadOnlyList<string>? protocols)
    {
        protocols = null;
        if (!TlsSpanReader.TryReadWholeVector16(data, out ReadOnlySpan<byte> list))
        {
            return "ClientHello: ALPN list length does not match the extension length";
        }
        if (list.IsEmpty)
        {
            return "ClientHello: ALPN list is empty";
        }
        var names = new List<string>(4);
        var reader = new TlsSpanReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadVector8(out ReadOnlySpan<byte> name))
            {
                return "ClientHello: an ALPN protocol name runs past the end of the list";
            }
            if (name.IsEmpty)
            {
                return "ClientHello: empty ALPN protocol name";
            }
            names.Add(ProtocolName(name));
        }
        protocols = names;
        return null;
    }

    /// <summary>The common ids without allocating; others byte-for-char (Latin-1, lossless).</summary>
    private static string ProtocolName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("h2"u8) ? "h2"
        : name.SequenceEqual("http/1.1"u8) ? "http/1.1"
        : Encoding.Latin1.GetString(name);

    private static ClientHelloResult Truncated(string field) =>
        ClientHelloResult.Fail($"ClientHello: {field} runs past the end of the message");
}
