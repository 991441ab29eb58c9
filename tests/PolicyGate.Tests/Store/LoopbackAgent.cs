using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyGate.Tests.Store;

/// <summary>
/// A real HTTP/1.1 instance agent on 127.0.0.1 whose answer per hit is scripted: (status, body), or null to close the
/// connection without answering, or a hold that answers only once <see cref="Release"/> is called.
/// </summary>
public sealed class LoopbackAgent : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, AgentReply?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private int _hits;

    public LoopbackAgent(Func<int, AgentReply?> script)
    {
        _script = script;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}/info";

    /// <summary>Requests received so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Request lines received, in order (e.g. "GET /info HTTP/1.1").</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    /// <summary>Lets held replies go out.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Waits (bounded) until the agent has received <paramref name="count"/> requests.</summary>
    public async Task WaitForHitsAsync(int count, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Hits < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"agent got {Hits} requests, expected {count}");
            await Task.Delay(20);
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string head = await ReadHeadAsync(stream);
                RequestLines.Enqueue(head.Split("\r\n")[0]);
                int hit = Interlocked.Increment(ref _hits);
                AgentReply? reply = _script(hit);
                if (reply is null)
                {
                    return;
                }

                if (reply.Hold)
                {
                    await _release.Task.WaitAsync(_stop.Token);
                }

                byte[] body = Encoding.UTF8.GetBytes(reply.Body);
                string response = $"HTTP/1.1 {reply.Status} X\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        StringBuilder head = new();
        byte[] buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
        {
            int read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
