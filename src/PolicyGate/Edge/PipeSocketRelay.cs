using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PolicyGate.Edge;

/// <summary>
/// Passthrough relay (DESIGN §4.5, §4.7): the client's transport pipe ↔ the backend socket. Kestrel's pipe segments go straight
/// to the backend with one gather send; the backend is read into the output pipe's memory in 64 KiB pooled blocks.
/// No per-chunk allocation beyond the gather send's task.
/// </summary>
internal static class PipeSocketRelay
{
    /// <summary>Relays until both directions ended (client EOF → backend FIN; backend EOF → client closed) or the activity is aborted.</summary>
    public static Task RunAsync(IDuplexPipe client, Socket backend, RelayActivity activity)
    {
        return activity.RunAsync(
            backend,
            aborted => ClientToBackendAsync(client.Input, backend, activity, aborted),
            aborted => BackendToClientAsync(backend, client.Output, activity, aborted));
    }

    private static async Task ClientToBackendAsync(PipeReader input, Socket backend, RelayActivity activity, CancellationToken aborted)
    {
        List<ArraySegment<byte>> gather = new(8);
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync(aborted);
                ReadOnlySequence<byte> buffer = read.Buffer;
                if (!buffer.IsEmpty)
                {
                    await SendAsync(backend, buffer, gather, aborted);
                    activity.Up(buffer.Length);
                }

                input.AdvanceTo(buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }

            backend.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (IsRelayEnd(ex))
        {
            activity.Abort("client side ended");
        }
    }

    private static async Task BackendToClientAsync(Socket backend, PipeWriter output, RelayActivity activity, CancellationToken aborted)
    {
        try
        {
            while (true)
            {
                Memory<byte> memory = output.GetMemory(EdgeConstants.RelayBufferSize);
                int received = await backend.ReceiveAsync(memory, SocketFlags.None, aborted);
                if (received == 0)
                {
                    break;
                }

                output.Advance(received);
                activity.Down(received);
                FlushResult flushed = await output.FlushAsync(aborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (IsRelayEnd(ex))
        {
            activity.Abort("backend side ended");
        }
    }

    /// <summary>Sends a pipe buffer: one send for a single segment, else one gather send over the segments' arrays.</summary>
    private static async ValueTask SendAsync(Socket socket, ReadOnlySequence<byte> buffer, List<ArraySegment<byte>> gather, CancellationToken aborted)
    {
        if (buffer.IsSingleSegment)
        {
            await SendAllAsync(socket, buffer.First, aborted);
            return;
        }

        gather.Clear();
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            if (!MemoryMarshal.TryGetArray(segment, out ArraySegment<byte> array))
            {
                gather.Clear();
                foreach (ReadOnlyMemory<byte> each in buffer)
                {
                    await SendAllAsync(socket, each, aborted);
                }

                return;
            }

            gather.Add(array);
        }

        await socket.SendAsync(gather, SocketFlags.None);
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> memory, CancellationToken aborted)
    {
        while (!memory.IsEmpty)
        {
            int sent = await socket.SendAsync(memory, SocketFlags.None, aborted);
            memory = memory[sent..];
        }
    }

    /// <summary>The exceptions that simply mean "this direction is over" (peer reset, abort, reaper).</summary>
    internal static bool IsRelayEnd(Exception ex) =>
        ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException or InvalidOperationException
            or Microsoft.AspNetCore.Connections.ConnectionResetException or Microsoft.AspNetCore.Connections.ConnectionAbortedException;
}
