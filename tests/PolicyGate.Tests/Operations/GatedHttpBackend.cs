using System.Net.Sockets;
using System.Text;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Operations;

/// <summary>
/// A raw HTTP/1.1 backend that sends a chunked text/plain body in two parts: the first 4 KiB, then — only after the test
/// calls <see cref="Release"/> — the rest. One request per connection.
/// </summary>
internal sealed class GatedHttpBackend : IAsyncDisposable
{
    public static readonly string Body = string.Concat(Enumerable.Repeat("plain words about nothing in particular here\n", 200));
    private const int FirstPart = 4096;

    private readonly LoopbackBackend _server;
    private readonly SemaphoreSlim _firstPartSent = new(0);
    private readonly SemaphoreSlim _release = new(0);

    public GatedHttpBackend() => _server = new LoopbackBackend(ServeAsync);

    public int Port => _server.Port;

    /// <summary>Waits (bounded) until a request's first part went out.</summary>
    public Task<bool> FirstPartSentAsync() => _firstPartSent.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.Release();

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        using NetworkStream stream = new(socket, ownsSocket: false);
        await ReadHeadAsync(stream, ct);
        byte[] body = Encoding.ASCII.GetBytes(Body);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
        await WriteChunkAsync(stream, body.AsMemory(0, FirstPart), ct);
        _firstPartSent.Release();
        if (!await _release.WaitAsync(TimeSpan.FromSeconds(60), ct))
        {
            return;
        }

        await WriteChunkAsync(stream, body.AsMemory(FirstPart), ct);
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
    }

    private static async Task WriteChunkAsync(NetworkStream stream, ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), ct);
        await stream.WriteAsync(chunk, ct);
        await stream.WriteAsync("\r\n"u8.ToArray(), ct);
    }

    private static async Task ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        byte[] buffer = new byte[8192];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(total), ct);
            if (read == 0)
            {
                return;
            }

            total += read;
            if (buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8) >= 0)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _release.Release(16);
        await _server.DisposeAsync();
    }
}
