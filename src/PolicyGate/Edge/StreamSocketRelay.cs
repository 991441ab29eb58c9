using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace PolicyGate.Edge;

/// <summary>
/// Terminated `tcp` relay (DESIGN §4.5, §4.7): decrypted client stream ↔ backend socket with two pooled 64 KiB buffers.
/// Client EOF (close_notify or FIN) half-closes the backend; backend EOF sends close_notify and ends the connection.
/// </summary>
internal static class StreamSocketRelay
{
    public static Task RunAsync(SslStream client, Socket backend, RelayActivity activity)
    {
        return activity.RunAsync(
            backend,
            aborted => ClientToBackendAsync(client, backend, activity, aborted),
            aborted => BackendToClientAsync(backend, client, activity, aborted));
    }

    private static async Task ClientToBackendAsync(SslStream client, Socket backend, RelayActivity activity, CancellationToken aborted)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(EdgeConstants.RelayBufferSize);
        try
        {
            while (true)
            {
                int read = await client.ReadAsync(buffer, aborted);
                if (read == 0)
                {
                    break;
                }

                activity.Up(read);
                ReadOnlyMemory<byte> pending = buffer.AsMemory(0, read);
                while (!pending.IsEmpty)
                {
                    int sent = await backend.SendAsync(pending, SocketFlags.None, aborted);
                    pending = pending[sent..];
                }
            }

            backend.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (PipeSocketRelay.IsRelayEnd(ex))
        {
            activity.Abort("client side ended");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task BackendToClientAsync(Socket backend, SslStream client, RelayActivity activity, CancellationToken aborted)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(EdgeConstants.RelayBufferSize);
        try
        {
            while (true)
            {
                int received = await backend.ReceiveAsync(buffer, SocketFlags.None, aborted);
                if (received == 0)
                {
                    break;
                }

                activity.Down(received);
                await client.WriteAsync(buffer.AsMemory(0, received), aborted);
            }

            await client.ShutdownAsync();
        }
        catch (Exception ex) when (PipeSocketRelay.IsRelayEnd(ex))
        {
            activity.Abort("backend side ended");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
