using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PolicyGate.Tests.Edge.Support;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>What a client of a fleet node sees: an edge TLS handshake served or refused, an egress CONNECT answered 200 or 403.</summary>
internal static class FleetTraffic
{
    /// <summary>True when the edge completes a TLS handshake for <paramref name="sni"/> (a served route), false when it closes.</summary>
    public static async Task<bool> EdgeServesAsync(FleetNode node, string sni)
        => (await EdgeClient.TryHandshakeAsync(node.Edge, sni)).Succeeded;

    /// <summary>Sends CONNECT <paramref name="target"/> to the node's egress proxy and returns the answer's status code.</summary>
    public static async Task<int> EgressConnectAsync(FleetNode node, string target)
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(node.Egress, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"), SocketFlags.None, timeout.Token);
        byte[] buffer = new byte[4096];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                break;
            }

            total += n;
            string head = Encoding.ASCII.GetString(buffer, 0, total);
            if (head.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>Polls <paramref name="observed"/> until true and returns how long that took; fails after <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan> TimeUntilAsync(Func<Task<bool>> observed, TimeSpan limit, string what)
    {
        Stopwatch watch = Stopwatch.StartNew();
        while (!await observed())
        {
            Assert.True(watch.Elapsed < limit, $"{what}: not observed within {limit.TotalSeconds} s");
        }

        TimeSpan elapsed = watch.Elapsed;
        Assert.True(elapsed < limit, $"{what}: observed only after {elapsed.TotalMilliseconds:0} ms");
        return elapsed;
    }

    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> values, double p)
    {
        TimeSpan[] sorted = [.. values.Order()];
        int index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public static IPEndPoint Loopback(int port) => new(IPAddress.Loopback, port);
}
