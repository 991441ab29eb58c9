using System.Buffers;
using System.Text;
using PolicyGate.Core.Tests.ProxyProtocol;
using PolicyGate.Core.Tls;
using static PolicyGate.Core.Tests.Tls.ClientHelloBuilder;

namespace PolicyGate.Core.Tests.Tls;

public sealed class ClientHelloParserTests
{
    private static ClientHelloResult Parse(byte[] bytes) => ClientHelloParser.Parse(new ReadOnlySequence<byte>(bytes));

    [Fact]
    public void Parses_sni_and_alpn_from_a_built_hello()
    {
        byte[] hello = Hello(Extension(0x000A, [0x00, 0x02, 0x00, 0x1D]), Sni("app.localhost"), Alpn("h2", "http/1.1", "acme-tls/1"));

        ClientHelloResult result = Parse([.. hello, 0x17, 0x03, 0x03]);

        Assert.Equal(ClientHelloStatus.Complete, result.Status);
        Assert.Equal(new ClientHelloInfo("app.localhost", result.Info!.Alpn, 0x0301), result.Info);
        Assert.Equal(["h2", "http/1.1", "acme-tls/1"], result.Info.Alpn);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Hello_without_sni_is_complete_with_null_server_name()
    {
        ClientHelloResult result = Parse(Hello(Alpn("h2")));

        Assert.Equal(ClientHelloStatus.Complete, result.Status);
        Assert.Null(result.Info!.ServerName);
        Assert.Equal(["h2"], result.Info.Alpn);
    }

    [Fact]
    public void Hello_without_extensions_block_is_complete()
    {
        ClientHelloResult result = Parse(Records(Handshake(Body(extensions: null)), recordVersion: 0x0300));

        Assert.Equal(new ClientHelloResult(ClientHelloStatus.Complete, result.Info, null), result);
        Assert.Equal(new ClientHelloInfo(null, result.Info!.Alpn, 0x0300), result.Info);
        Assert.Empty(result.Info.Alpn);
    }

    [Fact]
    public void Hello_split_across_two_records_at_every_position()
    {
        byte[] message = Handshake(Body([.. Sni("split.localhost"), .. Alpn("h2")]));

        for (int at = 1; at < message.Length; at++)
        {
            ClientHelloResult result = Parse(TwoRecords(message, at));
            Assert.True(result.Status == ClientHelloStatus.Complete, $"split {at}: {result.Error}");
            Assert.Equal("split.localhost", result.Info!.ServerName);
            Assert.Equal(0x0301, result.Info.TlsVersion);
        }
    }

    [Fact]
    public void Every_strict_prefix_of_a_two_record_hello_is_incomplete()
    {
        byte[] records = TwoRecords(Handshake(Body(Sni("p.localhost"))), 2);

        for (int length = 0; length < records.Length; length++)
        {
            Assert.Equal(ClientHelloStatus.Incomplete, ClientHelloParser.Parse(new ReadOnlySequence<byte>(records, 0, length)).Status);
            Assert.Equal(ClientHelloStatus.Incomplete, ClientHelloParser.Parse(TestSequences.BytePerSegment(records.AsSpan(0, length))).Status);
        }
    }

    [Fact]
    public void Accepts_a_hello_that_ends_exactly_at_16384_bytes()
    {
        byte[] padding = Extension(0x0015, new byte[16384 - 5 - 4 - Body(Sni("big.localhost")).Length - 4]);
        byte[] hello = Hello(Sni("big.localhost"), padding);
        Assert.Equal(16384, hello.Length);

        ClientHelloResult result = Parse(hello);

        Assert.Equal(ClientHelloStatus.Complete, result.Status);
        Assert.Equal("big.localhost", result.Info!.ServerName);
        Assert.Equal(ClientHelloStatus.Complete, ClientHelloParser.Parse(TestSequences.Split(hello, 100, 5000, 16000)).Status);
    }

    [Fact]
    public void Rejects_a_hello_one_byte_over_the_limit_without_waiting()
    {
        byte[] padding = Extension(0x0015, new byte[16384 - 5 - 4 - Body(Sni("big.localhost")).Length - 4 + 1]);
        byte[] hello = Hello(Sni("big.localhost"), padding);

        Assert.Equal("ClientHello larger than 16384 bytes", Parse(hello[..9]).Error);
    }

    [Fact]
    public void Rejects_a_hello_whose_record_overhead_crosses_the_limit()
    {
        byte[] message = Handshake(Body(Extension(0x0015, new byte[12000])));
        byte[] records = Records(message, recordSize: 12);
        Assert.True(records.Length > 16384);

        Assert.Equal("ClientHello larger than 16384 bytes", Parse(records).Error);
        Assert.Equal("ClientHello larger than 16384 bytes", Parse(records[..16384]).Error);
        Assert.Equal(ClientHelloStatus.Incomplete, Parse(records[..16383]).Status);
    }

    [Fact]
    public void Never_asks_for_more_than_16384_bytes()
    {
        // 16 KiB of a hello declared near the limit but sent as 1-byte records never completes.
        byte[] records = Records(Handshake(Body(Extension(0x0015, new byte[15000]))), recordSize: 1);

        Assert.Equal(ClientHelloStatus.Invalid, Parse(records[..16384]).Status);
        Assert.Equal(ClientHelloStatus.Incomplete, Parse(records[..1000]).Status);
    }

    public static TheoryData<string, byte[], string> Malformed()
    {
        byte[] ok = Handshake(Body(Sni("a.localhost")));
        return new()
        {
            { "http", Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "not TLS: first byte 0x47 is not a handshake record (0x16)" },
            { "proxy v2", [0x0D, 0x0A, 0x0D, 0x0A], "not TLS: first byte 0x0D is not a handshake record (0x16)" },
            { "sslv2", [0x80, 0x2E, 0x01, 0x00, 0x02], "not TLS: first byte 0x80 is not a handshake record (0x16)" },
            { "alert", [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28], "not TLS: first byte 0x15 is not a handshake record (0x16)" },
            { "major 2 early", [0x16, 0x02], "not TLS: record 0 has major version 2" },
            { "version 0x0200", [0x16, 0x02, 0x00, 0x00, 0x05], "not TLS: record 0 has version 0x0200" },
            { "version 0x0305", [0x16, 0x03, 0x05], "not TLS: record 0 has version 0x0305" },
            { "empty record", [0x16, 0x03, 0x01, 0x00, 0x00], "TLS record 0 is empty" },
            { "record too long", [0x16, 0x03, 0x01, 0x40, 0x01], "TLS record 0 length 16385 exceeds 16384" },
            { "server hello", Records(Handshake(Body(null), type: 2)), "not a ClientHello: handshake message type 2" },
            { "server hello first byte", [0x16, 0x03, 0x03, 0x00, 0x50, 0x02], "not a ClientHello: handshake message type 2" },
            { "declared 20000", [0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x4E, 0x20], "ClientHello larger than 16384 bytes" },
            { "declared 16 MiB", [0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xFF, 0xFF, 0xFF], "ClientHello larger than 16384 bytes" },
            { "alert inside", [.. Records(ok[..10]), 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], "TLS record 1 has content type 0x15 inside the ClientHello" },
            { "ccs inside", [.. Records(ok[..2]), 0x14, 0x03, 0x03, 0x00, 0x01, 0x01], "TLS record 1 has content type 0x14 inside the ClientHello" },
            { "empty body", Records(Handshake([])), "ClientHello: legacy_version runs past the end of the message" },
            { "body version 0x0200", Records(Handshake(Body(null, legacyVersion: 0x0200))), "ClientHello: legacy_version 0x0200 is not TLS" },
            { "short random", Records(Handshake(Body(null)[..20])), "ClientHello: random runs past the end of the message" },
            { "session id 33", Records(Handshake(Body(null, sessionIdLength: 33))), "ClientHello: legacy_session_id of 33 bytes exceeds 32" },
            { "session id cut", Records(Handshake(Body(null)[..40])), "ClientHello: legacy_session_id runs past the end of the message" },
            { "suites odd", Records(Handshake(Body(null, cipherSuites: [0x13, 0x01, 0x13]))), "ClientHello: cipher_suites of 3 bytes is not a non-empty list of 2-byte suites" },
            { "suites empty", Records(Handshake(Body(null, cipherSuites: []))), "ClientHello: cipher_suites of 0 bytes is not a non-empty list of 2-byte suites" },
            { "suites cut", Records(Handshake(Body(null)[..70])), "ClientHello: cipher_suites runs past the end of the message" },
            { "compression empty", Records(Handshake(Body(null, compression: []))), "ClientHello: legacy_compression_methods is empty" },
            { "compression cut", Records(Handshake(Body(null)[..^1])), "ClientHello: legacy_compression_methods runs past the end of the message" },
            { "extensions length one byte", Records(Handshake([.. Body(null), 0x00])), "ClientHello: extensions runs past the end of the message" },
            { "extensions overrun", Records(Handshake([.. Body(null), 0x00, 0x09, 0x00, 0x00, 0x00, 0x00])), "ClientHello: extensions runs past the end of the message" },
            { "bytes after extensions", Records(Handshake([.. Body(Sni("a.b")), 1, 2, 3])), "ClientHello: 3 bytes after the extensions" },
            { "extension overrun", Records(Handshake(Body([0x00, 0x00, 0x00, 0x09, 0x00]))), "ClientHello: an extension runs past the end of the extensions block" },
            { "extension type cut", Records(Handshake(Body([0x00]))), "ClientHello: an extension runs past the end of the extensions block" },
            { "duplicate sni", Hello(Sni("a.localhost"), Sni("b.localhost")), "ClientHello: duplicate server_name extension" },
            { "two host names", Hello(Sni("a.localhost", "b.localhost")), "ClientHello: more than one SNI host_name" },
            { "sni type 1", Hello(Extension(0, Vector16([0x01, 0x00, 0x01, (byte)'a']))), "ClientHello: server_name type 1 is not host_name (0)" },
            { "sni empty name", Hello(Sni("")), "ClientHello: SNI host_name of 0 bytes is not 1..255" },
            { "sni 256", Hello(Sni(new string('a', 256))), "ClientHello: SNI host_name of 256 bytes is not 1..255" },
            { "sni space", Hello(Sni("a b")), "ClientHello: SNI host_name has byte 0x20 at 1, not a DNS name character" },
            { "sni nul", Hello(Extension(0, Vector16([0x00, 0x00, 0x02, (byte)'a', 0x00]))), "ClientHello: SNI host_name has byte 0x00 at 1, not a DNS name character" },
            { "sni empty ext", Hello(Extension(0, [])), "ClientHello: server_name list length does not match the extension length" },
            { "sni list short", Hello(Extension(0, [0x00, 0x10, 0x00])), "ClientHello: server_name list length does not match the extension length" },
            { "sni list extra", Hello(Extension(0, [.. Vector16([0x00, 0x00, 0x01, (byte)'a']), 0xFF])), "ClientHello: server_name list length does not match the extension length" },
            { "sni list empty", Hello(Extension(0, [0x00, 0x00])), "ClientHello: server_name list is empty" },
            { "sni entry cut", Hello(Extension(0, Vector16([0x00, 0x00, 0x05, (byte)'a']))), "ClientHello: a server_name entry runs past the end of the list" },
            { "alpn empty list", Hello(Extension(16, [0x00, 0x00])), "ClientHello: ALPN list is empty" },
            { "alpn empty name", Hello(Alpn("h2", "")), "ClientHello: empty ALPN protocol name" },
            { "alpn name cut", Hello(Extension(16, Vector16([0x05, (byte)'h', (byte)'2']))), "ClientHello: an ALPN protocol name runs past the end of the list" },
            { "alpn list mismatch", Hello(Extension(16, [0x00, 0x03, 0x02, (byte)'h', (byte)'2', 0x00])), "ClientHello: ALPN list length does not match the extension length" },
            { "duplicate alpn", Hello(Alpn("h2"), Alpn("http/1.1")), "ClientHello: duplicate ALPN extension" },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Rejects_malformed_input_with_precise_error(string name, byte[] bytes, string error)
    {
        Assert.True(bytes.Length > 0, name);
        Assert.Equal(new ClientHelloResult(ClientHelloStatus.Invalid, null, error), Parse(bytes));
        Assert.Equal(new ClientHelloResult(ClientHelloStatus.Invalid, null, error), ClientHelloParser.Parse(TestSequences.BytePerSegment(bytes)));
    }

    [Fact]
    public void Empty_input_is_incomplete()
    {
        Assert.Equal(new ClientHelloResult(ClientHelloStatus.Incomplete, null, null), ClientHelloParser.Parse(ReadOnlySequence<byte>.Empty));
    }

    [Fact]
    public void Truncated_hello_is_incomplete_not_invalid()
    {
        byte[] hello = Hello(Sni("t.localhost"), Alpn("h2"));

        Assert.Equal(ClientHelloStatus.Incomplete, Parse(hello[..^1]).Status);
        Assert.Equal(ClientHelloStatus.Incomplete, Parse(hello[..5]).Status);
        Assert.Equal(ClientHelloStatus.Incomplete, Parse(hello[..1]).Status);
    }
}
