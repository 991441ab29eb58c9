using System.Buffers;
using System.Net;
using System.Text;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Core.Tests.ProxyProtocol;

public sealed class ProxyHeaderWriterTests
{
    [Theory]
    [InlineData("192.168.0.1:56324", "192.168.0.11:443", "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n")]
    [InlineData("[2001:db8::1]:1", "[::1]:65535", "PROXY TCP6 2001:db8::1 ::1 1 65535\r\n")]
    [InlineData("[::ffff:10.1.2.3]:5000", "10.0.0.1:80", "PROXY TCP4 10.1.2.3 10.0.0.1 5000 80\r\n")]
    [InlineData("10.1.2.3:5000", "[2001:db8::2]:80", "PROXY TCP6 ::ffff:10.1.2.3 2001:db8::2 5000 80\r\n")]
    [InlineData("[fe80::1%2]:5000", "[fe80::2]:80", "PROXY TCP6 fe80::1 fe80::2 5000 80\r\n")]
    public void Writes_byte_exact_v1(string source, string target, string expected)
    {
        byte[] bytes = ProxyHeaderWriter.Create(1, IPEndPoint.Parse(source), IPEndPoint.Parse(target));

        Assert.Equal(expected, Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Writes_byte_exact_v2_inet6()
    {
        byte[] bytes = ProxyHeaderWriter.Create(2, IPEndPoint.Parse("[2001:db8::1]:443"), IPEndPoint.Parse("[2001:db8::2]:8080"));

        Assert.Equal(ProxyV2Fixtures.Inet6, bytes);
    }

    [Fact]
    public void Writes_byte_exact_v2_inet()
    {
        byte[] bytes = ProxyHeaderWriter.Create(2, IPEndPoint.Parse("10.0.0.1:80"), IPEndPoint.Parse("10.0.0.2:81"));

        Assert.Equal([.. ProxyV2Fixtures.Signature, 0x21, 0x11, 0x00, 0x0C, 10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x50, 0x00, 0x51], bytes);
    }

    [Theory]
    [InlineData(1, "203.0.113.9:40000", "198.51.100.1:443", ProxyAddressFamily.Inet)]
    [InlineData(1, "[2001:db8:0:1::9]:40000", "[2001:db8::443]:8443", ProxyAddressFamily.Inet6)]
    [InlineData(2, "203.0.113.9:40000", "198.51.100.1:443", ProxyAddressFamily.Inet)]
    [InlineData(2, "[2001:db8:0:1::9]:40000", "[2001:db8::443]:8443", ProxyAddressFamily.Inet6)]
    [InlineData(1, "0.0.0.0:0", "255.255.255.255:65535", ProxyAddressFamily.Inet)]
    [InlineData(2, "[::]:0", "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535", ProxyAddressFamily.Inet6)]
    public void Round_trips_through_the_parser(int version, string source, string target, ProxyAddressFamily family)
    {
        Span<byte> buffer = stackalloc byte[232];
        int written = ProxyHeaderWriter.Write(buffer, version, IPEndPoint.Parse(source), IPEndPoint.Parse(target));

        ProxyParseResult result = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(buffer[..written].ToArray()));

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        ProxyHeader header = result.Header!;
        Assert.Equal(version, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(family, header.Family);
        Assert.Equal(IPEndPoint.Parse(source), header.Source);
        Assert.Equal(IPEndPoint.Parse(target), header.Destination);
        Assert.Equal(written, header.Length);
        Assert.Empty(header.Tlvs);
    }

    [Fact]
    public void Mixed_families_round_trip_as_inet6_in_v2()
    {
        byte[] bytes = ProxyHeaderWriter.Create(2, IPEndPoint.Parse("10.1.2.3:5000"), IPEndPoint.Parse("[2001:db8::2]:80"));

        ProxyHeader header = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes)).Header!;

        Assert.Equal(ProxyAddressFamily.Inet6, header.Family);
        Assert.Equal(IPEndPoint.Parse("[::ffff:10.1.2.3]:5000"), header.Source);
    }

    [Fact]
    public void Rejects_programming_errors()
    {
        var endpoint = IPEndPoint.Parse("10.0.0.1:80");

        Assert.Throws<ArgumentOutOfRangeException>(() => ProxyHeaderWriter.Create(3, endpoint, endpoint));
        Assert.Throws<ArgumentException>(() => ProxyHeaderWriter.Write(new byte[20], 1, endpoint, endpoint));
        Assert.Throws<ArgumentException>(() => ProxyHeaderWriter.Write(new byte[27], 2, endpoint, endpoint));
    }
}
