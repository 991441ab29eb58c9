using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PolicyGate.Tests.Egress;

namespace PolicyGate.Tests.Cluster;

/// <summary>
/// Stand-in for the leader's mTLS bundle endpoint, serving whatever bytes a test sets. It exists because the real leader
/// verifies every bundle before it stores it, so it can never serve the tampered, expired or malformed bundles the follower
/// must be shown to refuse. Real TLS on loopback with the cluster's leader certificate; it requires a client certificate.
/// </summary>
internal sealed class StandInLeader : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly Task _accept;
    private readonly List<string> _requests = [];
    private readonly Lock _lock = new();
    private byte[]? _body;

    public StandInLeader(ClusterPki pki)
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(pki.Cert("leader"), pki.Key("leader"));
        _certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The envelope served with 200 (null = 204).</summary>
    public void Serve(byte[]? body)
    {
        lock (_lock)
        {
            _body = body;
        }
    }

    /// <summary>Request heads received so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
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
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await using SslStream ssl = new(client.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null,
            }, timeout.Token);
            while (true)
            {
                string head = await LoopbackBackend.ReadHeadAsync(ssl, timeout.Token);
                if (head.Length == 0)
                {
                    return;
                }

                byte[]? body;
                lock (_lock)
                {
                    _requests.Add(head);
                    body = _body;
                }

                string status = body is null ? "204 No Content" : "200 OK";
                byte[] payload = body ?? [];
                await ssl.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\n\r\n"), timeout.Token);
                await ssl.WriteAsync(payload, timeout.Token);
                await ssl.FlushAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

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

        _certificate.Dispose();
        _stop.Dispose();
    }
}
