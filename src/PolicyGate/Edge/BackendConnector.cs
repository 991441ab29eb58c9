using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Edge;

/// <summary>Step 6 (DESIGN §4.6): races the candidates' connects (first success wins, losers aborted) within edge.timeouts.connect.</summary>
internal static class BackendConnector
{
    /// <summary>The connected socket (TCP_NODELAY) and its candidate, or null when every candidate failed or the deadline passed.</summary>
    public static async Task<(Socket Socket, RoutedCandidate Winner)?> ConnectAsync(IReadOnlyList<RoutedCandidate> candidates, int port, TimeSpan timeout, CancellationToken aborted)
    {
        long started = Stopwatch.GetTimestamp();
        using CancellationTokenSource race = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        race.CancelAfter(timeout);
        List<Task<Socket?>> attempts = new(candidates.Count);
        foreach (RoutedCandidate candidate in candidates)
        {
            attempts.Add(ConnectOneAsync(candidate.Instance.Address, port, race.Token));
        }

        List<Task<Socket?>> pending = [.. attempts];
        (Socket, RoutedCandidate)? winner = null;
        while (pending.Count > 0)
        {
            Task<Socket?> done = await Task.WhenAny(pending);
            pending.Remove(done);
            Socket? socket = await done;
            if (socket is null)
            {
                continue;
            }

            if (winner is null)
            {
                winner = (socket, candidates[attempts.IndexOf(done)]);
                EdgeMetrics.BackendConnectSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                race.Cancel();
            }
            else
            {
                socket.Dispose();
            }
        }

        return winner;
    }

    private static async Task<Socket?> ConnectOneAsync(string address, int port, CancellationToken cancellationToken)
    {
        Socket? socket = null;
        try
        {
            EndPoint endPoint = IPAddress.TryParse(address.Trim('[', ']'), out IPAddress? ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(address, port);
            socket = ip is null ? new Socket(SocketType.Stream, ProtocolType.Tcp) : new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.NoDelay = true;
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket?.Dispose();
            return null;
        }
    }
}
