using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Load.Clients;

/// <summary>One worker's connection for <see cref="RawHttpClient"/>.</summary>
internal sealed class RawHttpConnection(ClientTarget target, RawConnectionMode mode, byte[] request, byte[]? connect) : ILoadConnection
{
    // Every peer gets the same throwaway cert; a custom-root policy with no revocation and no downloads keeps the
    // client's per-handshake chain work small so new-connection scenarios load the proxy rather than the client.
    private static readonly X509ChainPolicy s_chainPolicy = new()
    {
        RevocationMode = X509RevocationMode.NoCheck,
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        DisableCertificateDownloads = true,
        VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority,
    };

    private Socket? _socket;
    private Stream? _stream;
    private HttpResponseReader? _reader;

    public async ValueTask<long> ExecuteAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(target.StepTimeout);
        CancellationToken ct = timeout.Token;
        try
        {
            if (_stream is null)
            {
                await OpenAsync(ct);
            }

            await _stream!.WriteAsync(request, ct);
            long received = await _reader!.ReadResponseAsync(ct);
            int status = _reader.StatusCode;
            if (mode != RawConnectionMode.KeepAlive || _reader.ConnectionClose)
            {
                Close();
            }

            if (status is < 200 or > 299)
            {
                throw new LoadStepException("http_" + status, "HTTP " + status);
            }

            return received;
        }
        catch (LoadStepException)
        {
            Close();
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Close();
            throw new LoadStepException("timeout", "step timed out");
        }
        catch (AuthenticationException e)
        {
            Close();
            throw new LoadStepException("tls", e.Message, e);
        }
        catch (SocketException e)
        {
            Close();
            throw new LoadStepException(e.SocketErrorCode == SocketError.ConnectionRefused ? "connect" : "socket", e.Message, e);
        }
        catch (IOException e)
        {
            Close();
            throw new LoadStepException("io", e.Message, e);
        }
    }

    private async ValueTask OpenAsync(CancellationToken ct)
    {
        Socket socket = new(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        await socket.ConnectAsync(target.EndPoint, ct);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        _stream = stream;
        if (mode == RawConnectionMode.Tunnel)
        {
            _reader = new HttpResponseReader(stream, 16 * 1024);
            await stream.WriteAsync(connect!, ct);
            int status = await _reader.ReadHeadOnlyAsync(ct);
            if (status != 200)
            {
                throw new LoadStepException("connect_" + status, "CONNECT answered " + status);
            }

            return;
        }

        if (target.ServerName is not null)
        {
            SslStream ssl = new(stream, leaveInnerStreamOpen: false);
            _stream = ssl;
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = target.ServerName,
                // Loopback benchmark against our own throwaway cert: every peer is treated alike.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                CertificateChainPolicy = s_chainPolicy,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, ct);
            stream = ssl;
        }

        _reader = new HttpResponseReader(stream);
    }

    private void Close()
    {
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
        _reader = null;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
