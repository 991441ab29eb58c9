using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Core.Tests.ProxyProtocol;

public sealed class ProxyV2ParserTests
{
    private static ProxyParseResult Parse(byte[] bytes) => ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes));

    private static ProxyHeader ParseComplete(byte[] bytes)
    {
        ProxyParseResult result = Parse([.. bytes, 0x16, 0x03, 0x01]);
        Assert.True(result.Status == ProxyParseStatus.Complete, result.Error);
        Assert.Equal(bytes.Length, result.Header!.Length);
        Assert.Null(result.Error);
        return result.Header;
    }

    [Fact]
    public void Parses_inet_with_tlvs_and_exposes_authority()
    {
        ProxyHeader header = ParseComplete(ProxyV2Fixtures.InetWithTlvs);

        Assert.Equal(2, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(ProxyAddressFamily.Inet, header.Family);
        Assert.Equal(IPEndPoint.Parse("192.0.2.10:51000"), header.Source);
        Assert.Equal(IPEndPoint.Parse("198.51.100.7:8443"), header.Destination);
        Assert.Equal(53, header.Length);
        Assert.Equal("app.example", header.Authority);
        Assert.Equal([0x02, 0x01, 0x04], header.Tlvs.Select(t => t.Type));
        Assert.Equal("h2"u8.ToArray(), header.FindTlv(ProxyTlvType.Alpn)!.Value.Value.ToArray());
        Assert.Equal(new byte[3], header.Tlvs[2].Value.ToArray());
        Assert.Null(header.FindTlv(ProxyTlvType.UniqueId));
    }

    [Fact]
    public void Tlv_values_survive_the_input_buffer_being_reused()
    {
        byte[] bytes = ProxyV2Fixtures.InetWithTlvs;
        ProxyHeader header = Parse(bytes).Header!;

        Array.Clear(bytes);

        Assert.Equal("app.example", header.Authority);
    }

    [Fact]
    public void Parses_inet6()
    {
        ProxyHeader header = ParseComplete(ProxyV2Fixtures.Inet6);

        Assert.Equal(ProxyAddressFamily.Inet6, header.Family);
        Assert.Equal(IPEndPoint.Parse("[2001:db8::1]:443"), header.Source);
        Assert.Equal(IPEndPoint.Parse("[2001:db8::2]:8080"), header.Destination);
        Assert.Empty(header.Tlvs);
    }

    [Fact]
    public void Parses_local_without_addresses()
    {
        ProxyHeader header = ParseComplete(ProxyV2Fixtures.LocalUnspec);

        Assert.Equal(ProxyCommand.Local, header.Command);
        Assert.Equal(ProxyAddressFamily.Unspec, header.Family);
        Assert.Null(header.Source);
        Assert.Null(header.Destination);
        Assert.Equal(16, header.Length);
    }

    [Fact]
    public void Local_skips_a_present_address_block()
    {
        ProxyHeader header = ParseComplete(ProxyV2Fixtures.LocalInet);

        Assert.Equal(ProxyCommand.Local, header.Command);
        Assert.Equal(ProxyAddressFamily.Inet, header.Family);
        Assert.Null(header.Source);
        Assert.Equal(28, header.Length);
    }

    [Fact]
    public void Parses_proxy_unspec_with_custom_tlv()
    {
        ProxyHeader header = ParseComplete(ProxyV2Fixtures.ProxyUnspec);

        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(ProxyAddressFamily.Unspec, header.Family);
        Assert.Null(header.Source);
        ProxyTlv tlv = Assert.Single(header.Tlvs);
        Assert.Equal(0xE0, tlv.Type);
        Assert.Equal("x"u8.ToArray(), tlv.Value.ToArray());
    }

    [Fact]
    public void Parses_unix_paths()
    {
        ProxyHeader header = ParseComplete(ProxyV2Fixtures.Unix);

        Assert.Equal(ProxyAddressFamily.Unix, header.Family);
        Assert.Equal("/run/client.sock", header.UnixSource);
        Assert.Equal("/run/app.sock", header.UnixDestination);
        Assert.Null(header.Source);
        Assert.Equal(16 + 216, header.Length);
    }

    [Fact]
    public void Accepts_exactly_2048_bytes()
    {
        byte[] body = new byte[2048 - 16];
        body[12] = ProxyTlvType.Noop;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(13), (ushort)(body.Length - 15));
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x50, 0x00, 0x51 }.CopyTo(body, 0);

        ProxyHeader header = ParseComplete(ProxyV2Fixtures.Build(0x21, 0x11, body));

        Assert.Equal(2048, header.Length);
        Assert.Equal(2048 - 16 - 12 - 3, header.Tlvs[0].Value.Length);
    }

    [Fact]
    public void Accepts_a_matching_crc32c_and_rejects_a_wrong_one()
    {
        byte[] body = [10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x50, 0x00, 0x51, ProxyTlvType.Crc32C, 0x00, 0x04, 0, 0, 0, 0];
        byte[] header = ProxyV2Fixtures.Build(0x21, 0x11, body);
        uint crc = ~ProxyTlvReaderCrc(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(header.Length - 4), crc);

        Assert.Equal(ProxyCommand.Proxy, ParseComplete(header).Command);

        header[^1] ^= 1;
        Assert.Equal($"PROXY v2: CRC32C 0x{crc ^ 1:X8} does not match computed 0x{crc:X8}", Parse(header).Error);
    }

    [Fact]
    public void Accepts_a_header_captured_from_haproxy_with_crc32c_and_unique_id()
    {
        // haproxy 2.6 `send-proxy-v2 proxy-v2-options crc32c,unique-id` towards a loopback listener.
        byte[] captured = Convert.FromHexString("0D0A0D0A000D0A515549540A211100167F0000017F00000191F0B7A3030004FCF78C4C050000");

        ProxyHeader header = ParseComplete(captured);

        Assert.Equal(IPEndPoint.Parse("127.0.0.1:37360"), header.Source);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:47011"), header.Destination);
        Assert.Equal([ProxyTlvType.Crc32C, ProxyTlvType.UniqueId], header.Tlvs.Select(t => t.Type));
        captured[20] ^= 0x01;
        Assert.StartsWith("PROXY v2: CRC32C 0xFCF78C4C does not match", Parse(captured).Error);
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, ~ProxyTlvReaderCrc("123456789"u8.ToArray()));
    }

    private static uint ProxyTlvReaderCrc(byte[] data) =>
        PolicyGate.Core.ProxyProtocol.ProxyTlvReader.Crc32C(data, ~0u);

    public static TheoryData<byte[], string> Malformed => new()
    {
        { ProxyV2Fixtures.Build(0x21, 0x11, new byte[2033]), "PROXY v2: length 2049 exceeds 2048" },
        { ProxyV2Fixtures.Build(0x21, 0x11, [], declaredLength: 0xFFFF), "PROXY v2: length 65551 exceeds 2048" },
        { ProxyV2Fixtures.Build(0x21, 0x11, new byte[8]), "PROXY v2: address block of 8 bytes too short for INET (12)" },
        { ProxyV2Fixtures.Build(0x21, 0x21, new byte[12]), "PROXY v2: address block of 12 bytes too short for INET6 (36)" },
        { ProxyV2Fixtures.Build(0x21, 0x31, new byte[36]), "PROXY v2: address block of 36 bytes too short for UNIX (216)" },
        { ProxyV2Fixtures.Build(0x20, 0x11, new byte[4]), "PROXY v2: address block of 4 bytes too short for INET (12)" },
        { ProxyV2Fixtures.Build(0x11, 0x11, new byte[12]), "PROXY v2: version 1 is not 2" },
        { ProxyV2Fixtures.Build(0x31, 0x11, new byte[12]), "PROXY v2: version 3 is not 2" },
        { ProxyV2Fixtures.Build(0x22, 0x11, new byte[12]), "PROXY v2: command 0x2 is neither LOCAL (0) nor PROXY (1)" },
        { ProxyV2Fixtures.Build(0x2F, 0x11, new byte[12]), "PROXY v2: command 0xF is neither LOCAL (0) nor PROXY (1)" },
        { ProxyV2Fixtures.Build(0x21, 0x41, new byte[12]), "PROXY v2: family/transport byte 0x41 is not valid" },
        { ProxyV2Fixtures.Build(0x21, 0x13, new byte[12]), "PROXY v2: family/transport byte 0x13 is not valid" },
        { ProxyV2Fixtures.Build(0x21, 0x10, new byte[12]), "PROXY v2: family/transport byte 0x10 is not valid" },
        { ProxyV2Fixtures.Build(0x21, 0x01, []), "PROXY v2: family/transport byte 0x01 is not valid" },
        { ProxyV2Fixtures.Build(0x21, 0x12, new byte[12]), "PROXY v2: DGRAM transport (0x12) is not supported on a stream connection" },
        { ProxyV2Fixtures.Build(0x21, 0x00, [0x02, 0x00]), "PROXY v2: truncated TLV header at offset 16" },
        { ProxyV2Fixtures.Build(0x21, 0x00, [0x02, 0x00, 0x05, (byte)'a']), "PROXY v2: TLV 0x02 at offset 16 declares 5 bytes but only 1 remain" },
        { ProxyV2Fixtures.Build(0x21, 0x00, [0x02, 0x00, 0x02, 0xC3, 0x28]), "PROXY v2: AUTHORITY TLV is not valid UTF-8" },
        { ProxyV2Fixtures.Build(0x21, 0x00, [0x03, 0x00, 0x02, 0x00, 0x00]), "PROXY v2: CRC32C TLV has 2 bytes, expected 4" },
        { [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x58, 0x0A, 0x21, 0x00, 0x00, 0x00], "not a PROXY header" },
        { [0x0D, 0x0A, 0x0D, 0x0B], "not a PROXY header" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Rejects_malformed_headers_with_precise_error(byte[] bytes, string error)
    {
        Assert.Equal(new ProxyParseResult(ProxyParseStatus.Invalid, null, error), Parse(bytes));
    }

    [Theory]
    [InlineData(13, 0x31, "PROXY v2: version 3 is not 2")]
    [InlineData(14, 0x45, "PROXY v2: family/transport byte 0x45 is not valid")]
    public void Rejects_a_bad_fixed_header_byte_as_soon_as_it_arrives(int prefixLength, byte bad, string error)
    {
        byte[] bytes = ProxyV2Fixtures.Inet6[..prefixLength];
        bytes[prefixLength - 1] = bad;

        Assert.Equal(error, Parse(bytes).Error);
    }

    [Fact]
    public void Rejects_an_oversized_length_before_the_body_arrives()
    {
        byte[] fixedHeader = ProxyV2Fixtures.Build(0x21, 0x11, [], declaredLength: 2100);

        Assert.Equal("PROXY v2: length 2116 exceeds 2048", Parse(fixedHeader).Error);
    }
}
