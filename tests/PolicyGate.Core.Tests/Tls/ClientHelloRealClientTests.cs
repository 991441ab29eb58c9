using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using PolicyGate.Core.Tests.ProxyProtocol;
using PolicyGate.Core.Tls;

namespace PolicyGate.Core.Tests.Tls;

/// <summary>ClientHellos captured from .NET SslStream and `openssl s_client` on loopback.</summary>
public sealed class ClientHelloRealClientTests
{
    private static ClientHelloInfo ParseComplete(byte[] bytes)
    {
        ClientHelloResult result = ClientHelloParser.Parse(new ReadOnlySequence<byte>(bytes));
        Assert.True(result.Status == ClientHelloStatus.Complete, $"{result.Status}: {result.Error}");
        Assert.Equal(bytes[1] << 8 | bytes[2], result.Info!.TlsVersion);
        return result.Info;
    }

    [Theory]
    [InlineData(SslProtocols.None)]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task SslStream_hello_yields_sni_and_alpn(SslProtocols protocols)
    {
        byte[] hello = await ClientHelloCapture.FromSslStreamAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "MyApp-8080g.localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            EnabledSslProtocols = protocols,
        });

        ClientHelloInfo info = ParseComplete(hello);

        Assert.Equal("MyApp-8080g.localhost", info.ServerName, ignoreCase: true);
        Assert.Equal(["h2", "http/1.1"], info.Alpn);
        AssertRobustToFraming(hello, info);
    }

    [Fact]
    public async Task SslStream_to_an_ip_address_sends_no_sni()
    {
        byte[] hello = await ClientHelloCapture.FromSslStreamAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });

        ClientHelloInfo info = ParseComplete(hello);

        Assert.Null(info.ServerName);
        Assert.Empty(info.Alpn);
    }

    [Fact]
    public async Task Openssl_hello_yields_sni_and_alpn()
    {
        byte[] hello = await ClientHelloCapture.FromOpenSslAsync("-servername", "x", "-alpn", "h2");

        ClientHelloInfo info = ParseComplete(hello);

        Assert.Equal("x", info.ServerName);
        Assert.Equal(["h2"], info.Alpn);
        AssertRobustToFraming(hello, info);
    }

    [Fact]
    public async Task Openssl_tls12_hello_with_several_protocols()
    {
        byte[] hello = await ClientHelloCapture.FromOpenSslAsync("-tls1_2", "-servername", "myapp-443s.localhost", "-alpn", "h2,http/1.1,spdy/3");

        ClientHelloInfo info = ParseComplete(hello);

        Assert.Equal("myapp-443s.localhost", info.ServerName);
        Assert.Equal(["h2", "http/1.1", "spdy/3"], info.Alpn);
    }

    [Fact]
    public async Task Openssl_without_servername_sends_no_sni()
    {
        byte[] hello = await ClientHelloCapture.FromOpenSslAsync("-noservername");

        ClientHelloInfo info = ParseComplete(hello);

        Assert.Null(info.ServerName);
        Assert.Empty(info.Alpn);
    }

    /// <summary>Every prefix is Incomplete; every segment split, every two-record split and 1-byte records parse alike.</summary>
    private static void AssertRobustToFraming(byte[] hello, ClientHelloInfo expected)
    {
        for (int length = 0; length < hello.Length; length++)
        {
            ClientHelloStatus status = ClientHelloParser.Parse(new ReadOnlySequence<byte>(hello, 0, length)).Status;
            Assert.True(status == ClientHelloStatus.Incomplete, $"prefix {length}: {status}");
        }
        for (int cut = 0; cut <= hello.Length; cut++)
        {
            AssertSameInfo(expected, ClientHelloParser.Parse(TestSequences.Split(hello, cut)), $"segment cut {cut}");
        }
        AssertSameInfo(expected, ClientHelloParser.Parse(TestSequences.BytePerSegment(hello)), "byte per segment");

        byte[] message = ClientHelloBuilder.MessageOf(hello);
        for (int at = 1; at < message.Length; at++)
        {
            byte[] twoRecords = ClientHelloBuilder.TwoRecords(message, at);
            AssertSameInfo(expected, ClientHelloParser.Parse(new ReadOnlySequence<byte>(twoRecords)), $"record split {at}");
        }
        byte[] tinyRecords = ClientHelloBuilder.Records(message, recordSize: 1);
        AssertSameInfo(expected, ClientHelloParser.Parse(TestSequences.Split(tinyRecords, tinyRecords.Length / 3)), "1-byte records");
    }

    private static void AssertSameInfo(ClientHelloInfo expected, ClientHelloResult actual, string because)
    {
        Assert.True(actual.Status == ClientHelloStatus.Complete, $"{because}: {actual.Status} {actual.Error}");
        Assert.Equal(expected.ServerName, actual.Info!.ServerName);
        Assert.Equal(expected.Alpn, actual.Info.Alpn);
    }
}
