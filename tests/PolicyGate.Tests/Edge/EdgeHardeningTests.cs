using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Edge;

/// <summary>Issue 14 edge fixes over real sockets: early client FIN on passthrough, and ALPN on terminated tcp routes (DESIGN §4.5).</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeHardeningTests
{
    [Fact]
    public async Task Passthrough_client_that_sends_its_ClientHello_and_FIN_at_once_gets_the_whole_reply()
    {
        // The backend reads to EOF, then answers with what it received (size + SHA-256) and a 256 KiB tail, then closes.
        byte[] tail = RandomNumberGenerator.GetBytes(256 * 1024);
        await using LoopbackBackend backend = new(async (socket, ct) =>
        {
            using MemoryStream received = new();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            byte[] head = Encoding.ASCII.GetBytes($"got {received.Length} {Convert.ToHexStringLower(SHA256.HashData(received.ToArray()))}\n");
            await socket.SendAsync(head, SocketFlags.None, ct);
            await socket.SendAsync(tail, SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
        });
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("early1", "early", EdgeNode.Only(new PortRule(backend.Port)));
        string sni = $"early-{backend.Port}s.localhost";
        byte[] hello = await CaptureClientHelloAsync(sni);

        using Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(node.Edge);
        using NetworkStream stream = new(client);
        await client.SendAsync(hello, SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);
        (byte[] reply, bool eof) = await EdgeClient.ReadToEndAsync(stream, TimeSpan.FromSeconds(20));

        Assert.True(eof);
        string expectedHead = $"got {hello.Length} {Convert.ToHexStringLower(SHA256.HashData(hello))}\n";
        Assert.Equal(expectedHead, Encoding.ASCII.GetString(reply, 0, Math.Min(reply.Length, expectedHead.Length)));
        Assert.Equal(expectedHead.Length + tail.Length, reply.Length);
        Assert.Equal(tail, reply[expectedHead.Length..]);
    }

    [Theory]
    [InlineData("h2", "h2")]
    [InlineData("http/1.1", "http/1.1")]
    [InlineData("foo", null)]
    [InlineData("h2,http/1.1", "http/1.1")]
    public async Task Terminated_tcp_route_never_fails_a_handshake_over_alpn(string offered, string? negotiated)
    {
        await using LoopbackBackend echo = LoopbackBackend.Echo();
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("alpn1", "alpn", EdgeNode.Only(new PortRule(echo.Port, Protocol: "tcp")));

        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, $"alpn-{echo.Port}.localhost",
            [.. offered.Split(',').Select(static p => new SslApplicationProtocol(p))]);

        Assert.Equal(negotiated ?? "", client.Ssl.NegotiatedApplicationProtocol.ToString());
        (byte[] sent, byte[] received, long count) = await EdgeClient.EchoAsync(client.Ssl, 4096);
        Assert.Equal(4096, count);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Openssl_offering_only_h2_or_an_unknown_protocol_reaches_a_tcp_backend()
    {
        // Server-first and done: the banner, then FIN; the edge ends the TLS session and openssl (-ign_eof) exits.
        await using LoopbackBackend banner = new(async (socket, ct) =>
        {
            await socket.SendAsync("SSH-2.0-OpenSSH_9.2 alpn\r\n"u8.ToArray(), SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
        });
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("vm1", "vm", EdgeNode.Only(new PortRule(banner.Port, Protocol: "tcp")));

        foreach ((string alpn, string expected) in new[] { ("h2", "ALPN protocol: h2"), ("x-unknown", "No ALPN negotiated") })
        {
            (int exit, string output) = await ToolRun.RunAsync("openssl", [
                "s_client", "-connect", node.Edge.ToString(), "-servername", $"vm-{banner.Port}.localhost", "-alpn", alpn, "-ign_eof"], stdin: "");
            Assert.Contains(expected, output, StringComparison.Ordinal);
            Assert.Contains("SSH-2.0-OpenSSH_9.2 alpn", output, StringComparison.Ordinal);
            Assert.Equal(0, exit);
        }
    }

    [Fact]
    public async Task Http_route_offers_http11_and_h2_and_g_route_only_h2()
    {
        await using LoopbackBackend echo = LoopbackBackend.Echo();
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("web1", "web", EdgeNode.Only(new PortRule(echo.Port, Protocol: "http")));

        await using (EdgeClient h2 = await EdgeClient.ConnectAsync(node.Edge, $"web-{echo.Port}.localhost", [SslApplicationProtocol.Http2]))
        {
            Assert.Equal(SslApplicationProtocol.Http2, h2.Ssl.NegotiatedApplicationProtocol);
        }

        await using (EdgeClient h1 = await EdgeClient.ConnectAsync(node.Edge, $"web-{echo.Port}.localhost", [SslApplicationProtocol.Http11]))
        {
            Assert.Equal(SslApplicationProtocol.Http11, h1.Ssl.NegotiatedApplicationProtocol);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => EdgeClient.ConnectAsync(node.Edge, $"web-{echo.Port}g.localhost", [SslApplicationProtocol.Http11]));
    }

    /// <summary>A real ClientHello for <paramref name="sni"/>, as .NET's client sends it, captured on a throwaway listener.</summary>
    private static async Task<byte[]> CaptureClientHelloAsync(string sni)
    {
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using Socket accepted = await listener.AcceptAsync();
        using SslStream ssl = new(new NetworkStream(client), leaveInnerStreamOpen: false);
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
        Task handshake = ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni }, cts.Token);
        byte[] buffer = new byte[16 * 1024];
        int length = 0;
        while (length < 5 || length < 5 + (buffer[3] << 8 | buffer[4]))
        {
            length += await accepted.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cts.Token);
        }

        accepted.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        return buffer[..length];
    }
}
