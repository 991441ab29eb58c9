using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PolicyGate.Tests.Egress;

/// <summary>
/// Loopback destinations for egress tests: an HTTP server that answers with the request head it received (plain or TLS with a
/// self-signed cert), or a TCP echo. Bounded: it stops accepting on dispose.
/// </summary>
internal sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly bool _echo;
    private readonly Task _accept;

    private LoopbackBackend(bool tls, bool echo)
    {
        _echo = echo;
        _certificate = tls ? CreateCertificate() : null;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static LoopbackBackend Http() => new(tls: false, echo: false);

    public static LoopbackBackend Https() => new(tls: true, echo: false);

    public static LoopbackBackend Echo() => new(tls: false, echo: true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _certificate?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using TcpClient _ = client;
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            Stream stream = client.GetStream();
            if (_echo)
            {
                await stream.CopyToAsync(stream, timeout.Token);
                return;
            }

            if (_certificate is not null)
            {
                SslStream ssl = new(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, timeout.Token);
                stream = ssl;
            }

            string head = await ReadHeadAsync(stream, timeout.Token);
            byte[] body = Encoding.ASCII.GetBytes((_certificate is null ? "plain\n" : "tls\n") + head);
            byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(response, timeout.Token);
            await stream.WriteAsync(body, timeout.Token);
            await stream.FlushAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    /// <summary>Reads one HTTP request head byte by byte (up to 64 KiB); "" when the peer closed before sending any.</summary>
    internal static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        StringBuilder sb = new();
        byte[] one = new byte[1];
        while (sb.Length < 65536 && !sb.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                break;
            }

            sb.Append((char)one[0]);
        }

        return sb.ToString();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=localhost", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
