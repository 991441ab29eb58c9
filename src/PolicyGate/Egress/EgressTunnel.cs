using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace PolicyGate.Egress;

/// <summary>Byte-exact relay between the client's Kestrel pipe and the destination socket, with idle and total timeouts.</summary>
public static class EgressTunnel
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(IDuplexPipe client, Socket backend, TimeSpan idle, TimeSpan total, CancellationToken aborted)
    {
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        cts.CancelAfter(total);
        long lastProgress = Environment.TickCount64;
        void Progress() => Volatile.Write(ref lastProgress, Environment.TickCount64);

        Task up = Guard(ClientToBackendAsync(client.Input, backend, Progress, cts.Token), cts);
        Task down = Guard(BackendToClientAsync(backend, client.Output, Progress, cts.Token), cts);
        Task watchdog = WatchIdleAsync(() => Volatile.Read(ref lastProgress), idle, cts);
        await Task.WhenAll(up, down);
        await cts.CancelAsync();
        await watchdog;
    }

    private static async Task Guard(Task direction, CancellationTokenSource cts)
    {
        try
        {
            await direction;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException
            or InvalidOperationException)
        {
            // Either side failing (or a timeout) ends the whole tunnel.
            await cts.CancelAsync();
        }
    }

    private static async Task ClientToBackendAsync(PipeReader input, Socket backend, Action progress, CancellationToken ct)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(ct);
            ReadOnlySequence<byte> buffer = result.Buffer;
            foreach (ReadOnlyMemory<byte> segment in buffer)
            {
                int sent = 0;
                while (sent < segment.Length)
                {
                    sent += await backend.SendAsync(segment[sent..], SocketFlags.None, ct);
                }
            }

            if (!buffer.IsEmpty)
            {
                progress();
            }

            input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
        }

        backend.Shutdown(SocketShutdown.Send);
    }

    private static async Task BackendToClientAsync(Socket backend, PipeWriter output, Action progress, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int n = await backend.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (n == 0)
                {
                    break;
                }

                progress();
                FlushResult flush = await output.WriteAsync(buffer.AsMemory(0, n), ct);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await output.CompleteAsync();
    }

    private static async Task WatchIdleAsync(Func<long> lastProgress, TimeSpan idle, CancellationTokenSource cts)
    {
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 50, 1000));
        using PeriodicTimer timer = new(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cts.Token))
            {
                if (Environment.TickCount64 - lastProgress() > idle.TotalMilliseconds)
                {
                    await cts.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
