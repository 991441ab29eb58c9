using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Egress;

/// <summary>Resolves a destination once and connects to exactly the address that was checked (no DNS rebinding).</summary>
public static class EgressConnector
{
    /// <summary>The address to check and connect to (IPv4 preferred), or null when the name does not resolve in time.</summary>
    public static async Task<IPAddress?> ResolveAsync(string host, TimeSpan timeout, CancellationToken ct)
    {
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, cts.Token);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
        {
            return null;
        }
    }

    public static async Task<EgressConnectResult> ConnectAsync(IPAddress address, int port, string display, TimeSpan timeout, CancellationToken ct)
    {
        Socket socket = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cts.Token);
            return new EgressConnectResult(socket);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            return EgressConnectResult.Fail(504, $"connect to {display} timed out");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return EgressConnectResult.Fail(502, $"cannot connect to {display}: {e.SocketErrorCode}");
        }
    }
}
