using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PolicyGate.Core.Policy;
using PolicyGate.Edge;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Edge;

/// <summary>Hostile or broken clients: each is closed within its timeout, counted, and a concurrent good connection is unaffected.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeMalformedInputTests
{
    private static readonly byte[] s_v2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static TheoryData<string, string, bool> Cases => new()
    {
        // name, reason, inbound PROXY on
        { "v1 without CRLF in 107 bytes", EdgeConstants.ReasonProxyProtocol, true },
        { "v2 length over 2048", EdgeConstants.ReasonProxyProtocol, true },
        { "v2 bad signature", EdgeConstants.ReasonProxyProtocol, true },
        { "v2 INET with 8-byte address block", EdgeConstants.ReasonProxyProtocol, true },
        { "silent client (PROXY required)", EdgeConstants.ReasonProxyProtocol, true },
        { "garbage instead of ClientHello", EdgeConstants.ReasonBadSni, false },
        { "silent client", EdgeConstants.ReasonBadSni, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_closed_within_its_timeout_counted_and_harmless_to_others(string name, string reason, bool inbound)
    {
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using EdgeNode node = await EdgeNode.StartAsync(o =>
        {
            o.Edge.InboundProxyProtocol = inbound;
            o.Edge.Timeouts.Handshake = TimeSpan.FromSeconds(1);
            o.Edge.Timeouts.PpHeader = TimeSpan.FromSeconds(1);
        });
        await node.RegisterAsync("good1", "good", EdgeNode.Only(new PortRule(backend.Port, Protocol: "tcp")));
        byte[]? preamble = inbound ? ProxyHeaderV1("127.0.0.1", 5000) : null;
        await using EdgeClient good = await EdgeClient.ConnectAsync(node.Edge, $"good-{backend.Port}.localhost", preamble: preamble);
        double before = await MetricsText.DenialsAsync(reason);

        using Socket bad = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await bad.ConnectAsync(node.Edge);
        byte[] payload = Payload(name);
        if (payload.Length > 0)
        {
            await bad.SendAsync(payload, SocketFlags.None);
        }

        Stopwatch elapsed = Stopwatch.StartNew();
        (int answered, bool closed) = await ReadUntilClosedAsync(bad, TimeSpan.FromSeconds(15));

        Assert.True(closed, $"{name}: not closed");
        Assert.Equal(0, answered);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"{name}: closed after {elapsed.Elapsed}");
        await MetricsText.WaitForDenialsAboveAsync(reason, before);

        // The good connection, opened before, still carries bytes exactly.
        (byte[] sent, byte[] received, _) = await EdgeClient.EchoAsync(good.Ssl, 100_000);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task ClientHello_without_SNI_is_closed_and_counted()
    {
        await using EdgeNode node = await EdgeNode.StartAsync();
        double before = await MetricsText.DenialsAsync(EdgeConstants.ReasonBadSni);

        // .NET sends no SNI for an IP-literal target host.
        (bool ok, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, "127.0.0.1");

        Assert.False(ok);
        Assert.Equal(0, bytes);
        await MetricsText.WaitForDenialsAboveAsync(EdgeConstants.ReasonBadSni, before);
    }

    private static byte[] Payload(string name) => name switch
    {
        "v1 without CRLF in 107 bytes" => Encoding.ASCII.GetBytes("PROXY TCP4 " + new string('1', 110)),
        "v2 length over 2048" => [.. s_v2Signature, 0x21, 0x11, 0x08, 0x01],
        "v2 bad signature" => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x58, 0x0A, 0x21, 0x11, 0x00, 0x0C, .. new byte[12]],
        "v2 INET with 8-byte address block" => [.. s_v2Signature, 0x21, 0x11, 0x00, 0x08, 127, 0, 0, 1, 127, 0, 0, 1],
        "garbage instead of ClientHello" => Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        _ => [],
    };

    private static byte[] ProxyHeaderV1(string address, int port) =>
        Encoding.ASCII.GetBytes($"PROXY TCP4 {address} 127.0.0.1 {port} 443\r\n");

    private static async Task<(int Answered, bool Closed)> ReadUntilClosedAsync(Socket socket, TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        byte[] buffer = new byte[4096];
        int answered = 0;
        try
        {
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    return (answered, true);
                }

                answered += read;
            }
        }
        catch (SocketException)
        {
            return (answered, true); // reset also counts as closed
        }
        catch (OperationCanceledException)
        {
            return (answered, false);
        }
    }
}
