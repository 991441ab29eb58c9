using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace PolicyGate.Core.Tests.Tls;

/// <summary>Captures the first flight real TLS clients send to a loopback listener that never answers.</summary>
internal static class ClientHelloCapture
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>What .NET's SslStream sends for <paramref name="options"/>.</summary>
    public static async Task<byte[]> FromSslStreamAsync(SslClientAuthenticationOptions options)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using TcpClient server = await listener.AcceptTcpClientAsync();
        using var ssl = new SslStream(client.GetStream());
        options.RemoteCertificateValidationCallback ??= (_, _, _, _) => true;
        Task handshake = ssl.AuthenticateAsClientAsync(options);
        byte[] hello = await ReadFirstHandshakeMessageAsync(server.GetStream());
        server.Client.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake.WaitAsync(s_timeout));
        return hello;
    }

    /// <summary>What `openssl s_client` sends with the given extra arguments.</summary>
    public static async Task<byte[]> FromOpenSslAsync(params string[] arguments)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["s_client", "-connect", $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using TcpClient server = await listener.AcceptTcpClientAsync().WaitAsync(s_timeout);
            return await ReadFirstHandshakeMessageAsync(server.GetStream());
        }
        finally
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
            }
            await Task.WhenAll(stdout, stderr).WaitAsync(s_timeout);
        }
    }

    /// <summary>Reads until the records hold one whole handshake message, using TLS framing only.</summary>
    private static async Task<byte[]> ReadFirstHandshakeMessageAsync(NetworkStream stream)
    {
        using var cancel = new CancellationTokenSource(s_timeout);
        var received = new MemoryStream();
        var chunk = new byte[4096];
        while (!HoldsWholeMessage(received.GetBuffer().AsSpan(0, (int)received.Length)))
        {
            int read = await stream.ReadAsync(chunk, cancel.Token);
            if (read == 0)
            {
                throw new InvalidOperationException($"client closed after {received.Length} bytes");
            }
            received.Write(chunk, 0, read);
        }
        return received.ToArray();
    }

    private static bool HoldsWholeMessage(ReadOnlySpan<byte> data)
    {
        var payload = new List<byte>();
        while (data.Length >= 5)
        {
            int length = data[3] << 8 | data[4];
            payload.AddRange(data.Slice(5, Math.Min(length, data.Length - 5)));
            data = data[Math.Min(data.Length, 5 + length)..];
        }
        return payload.Count >= 4 && payload.Count >= 4 + (payload[1] << 16 | payload[2] << 8 | payload[3]);
    }
}
