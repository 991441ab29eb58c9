using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>A TCP server on 127.0.0.1 (free port) running <c>handler</c> per connection; stops and closes everything at dispose.</summary>
public sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    public LoopbackBackend(Func<Socket, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Echoes every byte back; on the client's EOF finishes the echo then closes (so half-close delivers the full reply).</summary>
    public static LoopbackBackend Echo() => new(EchoAsync);

    /// <summary>Server-first (SSH-like): writes <paramref name="banner"/> at once, then echoes.</summary>
    public static LoopbackBackend Banner(byte[] banner) => new(async (socket, ct) =>
    {
        await socket.SendAsync(banner, SocketFlags.None, ct);
        await EchoAsync(socket, ct);
    });

    public static async Task EchoAsync(Socket socket, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0)
            {
                break;
            }

            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = Task.Run(async () =>
            {
                using (socket)
                {
                    try
                    {
                        await _handler(socket, _stop.Token);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                    {
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }
}
