using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>A real TLS client of the edge: connects with a given SNI (any server cert accepted, the one seen is kept).</summary>
public sealed class EdgeClient : IAsyncDisposable
{
    private EdgeClient(Socket socket, CountingStream counting, SslStream ssl)
    {
        Socket = socket;
        Counting = counting;
        Ssl = ssl;
    }

    public Socket Socket { get; }
    public CountingStream Counting { get; }
    public SslStream Ssl { get; }
    public X509Certificate2? ServerCertificate { get; private set; }

    /// <summary>Connects and completes the TLS handshake; throws when the edge refuses.</summary>
    public static async Task<EdgeClient> ConnectAsync(IPEndPoint edge, string sni, List<SslApplicationProtocol>? alpn = null, IPAddress? bindTo = null, byte[]? preamble = null)
    {
        Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (bindTo is not null)
        {
            socket.Bind(new IPEndPoint(bindTo, 0));
        }

        await socket.ConnectAsync(edge).WaitAsync(TimeSpan.FromSeconds(10));
        if (preamble is not null)
        {
            await socket.SendAsync(preamble, SocketFlags.None); // e.g. a PROXY header, as a load balancer would send
        }

        CountingStream counting = new(new NetworkStream(socket, ownsSocket: true));
        SslStream ssl = new(counting, leaveInnerStreamOpen: false);
        EdgeClient client = new(socket, counting, ssl);
        try
        {
            using CancellationTokenSource cts = new(TimeSpan.FromSeconds(20));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = sni,
                ApplicationProtocols = alpn,
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    client.ServerCertificate = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
                    return true;
                },
            }, cts.Token);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>Tries a handshake the edge is expected to refuse: returns whether it succeeded and how many bytes the server sent.</summary>
    public static async Task<(bool Succeeded, long BytesFromServer)> TryHandshakeAsync(IPEndPoint edge, string sni)
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(edge).WaitAsync(TimeSpan.FromSeconds(10));
        await using CountingStream counting = new(new NetworkStream(socket, ownsSocket: false));
        await using SslStream ssl = new(counting, leaveInnerStreamOpen: true);
        try
        {
            using CancellationTokenSource cts = new(TimeSpan.FromSeconds(20));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = sni,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            }, cts.Token);
            return (true, counting.BytesRead);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return (false, counting.BytesRead);
        }
    }

    /// <summary>
    /// Writes <paramref name="size"/> random bytes while reading the echo back; optionally half-closes after writing.
    /// Returns SHA-256 of what was sent and of what came back (read until EOF when half-closing, else exactly size bytes).
    /// </summary>
    public static async Task<(byte[] Sent, byte[] Received, long ReceivedBytes)> EchoAsync(Stream stream, long size, Func<Task>? halfClose = null, TimeSpan? timeout = null)
    {
        using CancellationTokenSource cts = new(timeout ?? TimeSpan.FromSeconds(60));
        using IncrementalHash sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using IncrementalHash receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task writer = Task.Run(async () =>
        {
            byte[] chunk = new byte[64 * 1024];
            long left = size;
            while (left > 0)
            {
                int n = (int)Math.Min(chunk.Length, left);
                RandomNumberGenerator.Fill(chunk.AsSpan(0, n));
                sentHash.AppendData(chunk, 0, n);
                await stream.WriteAsync(chunk.AsMemory(0, n), cts.Token);
                left -= n;
            }

            await stream.FlushAsync(cts.Token);
            if (halfClose is not null)
            {
                await halfClose();
            }
        });

        long received = 0;
        byte[] buffer = new byte[64 * 1024];
        while (halfClose is not null || received < size)
        {
            int read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                break;
            }

            receivedHash.AppendData(buffer, 0, read);
            received += read;
        }

        await writer;
        return (sentHash.GetHashAndReset(), receivedHash.GetHashAndReset(), received);
    }

    /// <summary>Reads until EOF or <paramref name="timeout"/>; returns what was read and whether EOF was seen.</summary>
    public static async Task<(byte[] Data, bool Eof)> ReadToEndAsync(Stream stream, TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        MemoryStream all = new();
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return (all.ToArray(), true);
                }

                all.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            return (all.ToArray(), false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Ssl.DisposeAsync();
        Socket.Dispose();
    }
}
