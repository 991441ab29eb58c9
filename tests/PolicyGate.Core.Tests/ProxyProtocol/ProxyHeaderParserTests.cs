using System.Buffers;
using System.Net;
using System.Text;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Core.Tests.ProxyProtocol;

public sealed class ProxyHeaderParserTests
{
    public static TheoryData<string, byte[]> ValidHeaders => new()
    {
        { "v1 tcp4", Encoding.ASCII.GetBytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n") },
        { "v1 tcp6", Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::1 ::1 1 65535\r\n") },
        { "v1 unknown", Encoding.ASCII.GetBytes("PROXY UNKNOWN\r\n") },
        { "v1 unknown long", Encoding.ASCII.GetBytes("PROXY UNKNOWN ::1 ::2 1 2\r\n") },
        { "v2 inet tlvs", ProxyV2Fixtures.InetWithTlvs },
        { "v2 inet6", ProxyV2Fixtures.Inet6 },
        { "v2 local", ProxyV2Fixtures.LocalUnspec },
        { "v2 local inet", ProxyV2Fixtures.LocalInet },
        { "v2 unspec", ProxyV2Fixtures.ProxyUnspec },
        { "v2 unix", ProxyV2Fixtures.Unix },
        { "v2 writer v4", ProxyHeaderWriter.Create(2, IPEndPoint.Parse("1.2.3.4:5"), IPEndPoint.Parse("6.7.8.9:10")) },
    };

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Every_strict_prefix_is_incomplete(string name, byte[] header)
    {
        for (int length = 0; length < header.Length; length++)
        {
            ProxyParseResult result = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(header, 0, length));
            Assert.True(result.Status == ProxyParseStatus.Incomplete, $"{name}: prefix {length}: {result.Status} {result.Error}");
            Assert.True(ProxyHeaderParser.LooksLikeProxyHeader(new ReadOnlySequence<byte>(header, 0, length)));
        }
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(header)).Status);
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Multi_segment_input_parses_like_contiguous_input(string name, byte[] header)
    {
        byte[] withPayload = [.. header, .. "payload"u8];
        ProxyHeader expected = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(withPayload)).Header!;

        for (int cut = 0; cut <= withPayload.Length; cut++)
        {
            AssertSame(expected, ProxyHeaderParser.Parse(TestSequences.Split(withPayload, cut)), $"{name}: cut {cut}");
        }
        AssertSame(expected, ProxyHeaderParser.Parse(TestSequences.BytePerSegment(withPayload)), $"{name}: byte per segment");
        for (int length = 0; length < header.Length; length++)
        {
            ProxyParseStatus status = ProxyHeaderParser.Parse(TestSequences.BytePerSegment(header.AsSpan(0, length))).Status;
            Assert.True(status == ProxyParseStatus.Incomplete, $"{name}: segmented prefix {length}: {status}");
        }
    }

    private static void AssertSame(ProxyHeader expected, ProxyParseResult actual, string because)
    {
        Assert.True(actual.Status == ProxyParseStatus.Complete, $"{because}: {actual.Status} {actual.Error}");
        ProxyHeader header = actual.Header!;
        Assert.Equal(expected with { Tlvs = header.Tlvs }, header);
        Assert.Equal(
            expected.Tlvs.Select(t => (t.Type, Convert.ToHexString(t.Value.Span))),
            header.Tlvs.Select(t => (t.Type, Convert.ToHexString(t.Value.Span))));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n")]
    [InlineData("PROXYTCP4")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000")]
    [InlineData("X")]
    [InlineData("\r\n\r\n\r")]
    public void Garbage_is_not_a_proxy_header(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text));

        Assert.Equal(new ProxyParseResult(ProxyParseStatus.Invalid, null, "not a PROXY header"), ProxyHeaderParser.Parse(buffer));
        Assert.False(ProxyHeaderParser.LooksLikeProxyHeader(buffer));
    }

    [Fact]
    public void Looks_like_proxy_header_for_signatures_and_their_prefixes()
    {
        Assert.True(ProxyHeaderParser.LooksLikeProxyHeader(ReadOnlySequence<byte>.Empty));
        Assert.True(ProxyHeaderParser.LooksLikeProxyHeader(new ReadOnlySequence<byte>("PRO"u8.ToArray())));
        Assert.True(ProxyHeaderParser.LooksLikeProxyHeader(new ReadOnlySequence<byte>("PROXY garbage"u8.ToArray())));
        Assert.True(ProxyHeaderParser.LooksLikeProxyHeader(new ReadOnlySequence<byte>([0x0D, 0x0A])));
        Assert.True(ProxyHeaderParser.LooksLikeProxyHeader(TestSequences.BytePerSegment(ProxyV2Fixtures.Inet6)));
        Assert.False(ProxyHeaderParser.LooksLikeProxyHeader(new ReadOnlySequence<byte>([0x16, 0x03, 0x01])));
    }

    [Fact]
    public void Empty_buffer_is_incomplete()
    {
        Assert.Equal(ProxyParseStatus.Incomplete, ProxyHeaderParser.Parse(ReadOnlySequence<byte>.Empty).Status);
    }

    [Fact]
    public void Random_and_mutated_input_never_throws()
    {
        var random = new Random(20261122);
        byte[][] seeds = [.. ValidHeaders.Select(row => (byte[])row[1])];
        var buffer = new byte[300];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] seed = seeds[i % seeds.Length];
            int length;
            if (i % 2 == 0)
            {
                // Mutate a valid header: a few random bytes changed, random length.
                length = Math.Min(buffer.Length, random.Next(seed.Length + 8));
                Array.Clear(buffer);
                seed.AsSpan(0, Math.Min(seed.Length, length)).CopyTo(buffer);
                for (int m = random.Next(1, 4); m > 0; m--)
                {
                    buffer[random.Next(Math.Max(1, length))] = (byte)random.Next(256);
                }
            }
            else
            {
                length = random.Next(buffer.Length);
                random.NextBytes(buffer);
                buffer[0] = random.Next(3) switch { 0 => (byte)'P', 1 => 0x0D, _ => buffer[0] };
            }
            ReadOnlySequence<byte> sequence = TestSequences.Split(buffer.AsSpan(0, length), random.Next(length + 1));
            ProxyParseResult result = ProxyHeaderParser.Parse(sequence);
            Assert.True(
                result.Status switch
                {
                    ProxyParseStatus.Complete => result.Header is not null && result.Header.Length <= length,
                    ProxyParseStatus.Invalid => !string.IsNullOrEmpty(result.Error),
                    _ => result.Header is null && result.Error is null,
                },
                $"iteration {i}");
        }
    }
}
