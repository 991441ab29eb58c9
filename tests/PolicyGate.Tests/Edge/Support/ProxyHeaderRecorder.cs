using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>A backend that records the PROXY header (if any) at the start of each connection, then writes "ok\n" and echoes.</summary>
public static class ProxyHeaderRecorder
{
    /// <summary>Starts the backend; each connection's parsed header (or null when the first bytes are not one) lands in <paramref name="headers"/>.</summary>
    public static LoopbackBackend Start(ConcurrentQueue<ProxyHeader?> headers) => new(async (socket, ct) =>
    {
        // The edge writes the header before any client byte, so reading until it parses (or cannot) is safe.
        byte[] buffer = new byte[4096];
        int length = 0;
        ProxyParseResult result = default;
        using CancellationTokenSource wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            do
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, wait.Token);
                if (read == 0)
                {
                    break;
                }

                length += read;
                result = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(buffer, 0, length));
            }
            while (result.Status == ProxyParseStatus.Incomplete);
        }
        catch (OperationCanceledException)
        {
        }

        headers.Enqueue(result.Status == ProxyParseStatus.Complete ? result.Header : null);
        await socket.SendAsync("ok\n"u8.ToArray(), SocketFlags.None, ct);
        int consumed = result.Status == ProxyParseStatus.Complete ? result.Header!.Length : 0;
        if (length > consumed)
        {
            await socket.SendAsync(buffer.AsMemory(consumed, length - consumed), SocketFlags.None, ct);
        }

        await LoopbackBackend.EchoAsync(socket, ct);
    });
}
