using System.Buffers;
using System.Net;
using System.Text;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Core.Tests.ProxyProtocol;

public sealed class ProxyV1ParserTests
{
    private static ProxyParseResult Parse(string text) => ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)));

    [Theory]
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n", "192.168.0.1:56324", "192.168.0.11:443")]
    [InlineData("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n", "0.0.0.0:0", "255.255.255.255:65535")]
    [InlineData("PROXY TCP6 2001:db8::1 ::1 1 2\r\n", "[2001:db8::1]:1", "[::1]:2")]
    [InlineData("PROXY TCP6 ::ffff:10.0.0.1 fe80::abcd 1000 2000\r\n", "[::ffff:10.0.0.1]:1000", "[fe80::abcd]:2000")]
    public void Parses_tcp_lines(string line, string source, string destination)
    {
        ProxyParseResult result = Parse(line + "GET / HTTP/1.1\r\n");

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        ProxyHeader header = result.Header!;
        Assert.Equal(1, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(line.Contains("TCP4") ? ProxyAddressFamily.Inet : ProxyAddressFamily.Inet6, header.Family);
        Assert.Equal(IPEndPoint.Parse(source), header.Source);
        Assert.Equal(IPEndPoint.Parse(destination), header.Destination);
        Assert.Equal(line.Length, header.Length);
        Assert.Empty(header.Tlvs);
        Assert.Null(header.Authority);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN ffff:f::1 ffff:f::2 65535 65535\r\n")]
    [InlineData("PROXY UNKNOWN whatever the sender wants to say\r\n")]
    public void Parses_unknown_and_ignores_its_rest(string line)
    {
        ProxyParseResult result = Parse(line + "\x16\x03\x01");

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(new ProxyHeader(1, ProxyCommand.Proxy, ProxyAddressFamily.Unspec, null, null, result.Header!.Tlvs, line.Length), result.Header);
    }

    [Fact]
    public void Accepts_a_line_of_exactly_107_bytes()
    {
        string line = "PROXY UNKNOWN " + new string('x', 107 - 16) + "\r\n";
        Assert.Equal(107, line.Length);

        ProxyParseResult result = Parse(line);

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(107, result.Header!.Length);
    }

    [Fact]
    public void Accepts_the_longest_tcp6_line()
    {
        string address = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        string line = $"PROXY TCP6 {address} {address} 65535 65535\r\n";
        Assert.Equal(104, line.Length);

        Assert.Equal(ProxyParseStatus.Complete, Parse(line).Status);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", "PROXY v1: no CRLF within 107 bytes")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "PROXY v1: LF without CR at offset 30")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX", "PROXY v1: CR not followed by LF at offset 30")]
    [InlineData("PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n", "PROXY v1: byte 0x09 at offset 18 is not printable ASCII")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\0\r\n", "PROXY v1: byte 0x00 at offset 30 is not printable ASCII")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\u00e9\r\n", "PROXY v1: byte 0xE9 at offset 30 is not printable ASCII")]
    [InlineData("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY v1: protocol 'TCP5' is not TCP4, TCP6 or UNKNOWN")]
    [InlineData("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY v1: protocol 'tcp4' is not TCP4, TCP6 or UNKNOWN")]
    [InlineData("PROXY \r\n", "PROXY v1: empty protocol (fields are separated by single spaces)")]
    [InlineData("PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY v1: empty protocol (fields are separated by single spaces)")]
    [InlineData("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", "PROXY v1: empty source address (fields are separated by single spaces)")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1  2\r\n", "PROXY v1: empty destination port (fields are separated by single spaces)")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "PROXY v1: unexpected data after destination port")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "PROXY v1: unexpected data after destination port")]
    [InlineData("PROXY TCP4\r\n", "PROXY v1: missing source address")]
    [InlineData("PROXY TCP4 1.2.3.4\r\n", "PROXY v1: missing destination address")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8\r\n", "PROXY v1: missing source port")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "PROXY v1: missing destination port")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 080 443\r\n", "PROXY v1: source port '080' has a leading zero")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 80 00\r\n", "PROXY v1: destination port '00' has a leading zero")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 65536 443\r\n", "PROXY v1: source port '65536' is outside 0..65535")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 80 999999999999\r\n", "PROXY v1: destination port '999999999999' is outside 0..65535")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 -1 443\r\n", "PROXY v1: source port '-1' is not a number")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 0x50 443\r\n", "PROXY v1: source port '0x50' is not a number")]
    [InlineData("PROXY TCP4 010.0.0.1 5.6.7.8 1 2\r\n", "PROXY v1: source address '010.0.0.1' is not a valid IPv4 address")]
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "PROXY v1: source address '1.2.3' is not a valid IPv4 address")]
    [InlineData("PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", "PROXY v1: source address '1.2.3.4.5' is not a valid IPv4 address")]
    [InlineData("PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", "PROXY v1: source address '1.2.3.256' is not a valid IPv4 address")]
    [InlineData("PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n", "PROXY v1: source address '1..3.4' is not a valid IPv4 address")]
    [InlineData("PROXY TCP4 1.2.3.4 ::1 1 2\r\n", "PROXY v1: destination address '::1' is not a valid IPv4 address")]
    [InlineData("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "PROXY v1: source address '1.2.3.4' is not a valid IPv6 address")]
    [InlineData("PROXY TCP6 ::1 fe80::1%eth0 1 2\r\n", "PROXY v1: destination address 'fe80::1%eth0' is not a valid IPv6 address")]
    [InlineData("PROXY TCP6 [::1] ::1 1 2\r\n", "PROXY v1: source address '[::1]' is not a valid IPv6 address")]
    [InlineData("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", "PROXY v1: source address '1:2:3:4:5:6:7:8:9' is not a valid IPv6 address")]
    [InlineData("PROXY TCP6 ::g ::1 1 2\r\n", "PROXY v1: source address '::g' is not a valid IPv6 address")]
    public void Rejects_malformed_lines_with_precise_error(string line, string error)
    {
        ProxyParseResult result = Parse(line);

        Assert.Equal(new ProxyParseResult(ProxyParseStatus.Invalid, null, error), result);
    }

    [Theory]
    [InlineData("PROXY TCP5 ", "PROXY v1: protocol 'TCP5' is not TCP4, TCP6 or UNKNOWN")]
    [InlineData("PROXY TCP4 1.2.3.999 ", "PROXY v1: source address '1.2.3.999' is not a valid IPv4 address")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 65536 ", "PROXY v1: source port '65536' is outside 0..65535")]
    [InlineData("PROXY TCP4 \u0001", "PROXY v1: byte 0x01 at offset 11 is not printable ASCII")]
    public void Rejects_bad_fields_before_the_line_ends(string partial, string error)
    {
        Assert.Equal(new ProxyParseResult(ProxyParseStatus.Invalid, null, error), Parse(partial));
    }

    [Fact]
    public void No_crlf_within_107_bytes_is_invalid_even_when_more_follows()
    {
        string text = "PROXY TCP4 " + new string('1', 200);

        Assert.Equal("PROXY v1: no CRLF within 107 bytes", Parse(text).Error);
        Assert.Equal(ProxyParseStatus.Incomplete, Parse(text[..106]).Status);
    }

    [Fact]
    public void Cr_at_offset_106_is_beyond_the_limit()
    {
        string text = "PROXY UNKNOWN " + new string('x', 92) + "\r\n";
        Assert.Equal(108, text.Length);

        Assert.Equal("PROXY v1: no CRLF within 107 bytes", Parse(text).Error);
        Assert.Equal("PROXY v1: no CRLF within 107 bytes", Parse(text[..107]).Error);
    }
}
