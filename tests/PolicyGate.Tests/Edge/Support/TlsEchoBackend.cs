using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>A TLS echo server with its own self-signed certificate: the TLS endpoint behind a passthrough route.</summary>
public static class TlsEchoBackend
{
    /// <summary>The backend's certificate (a passthrough client sees this one, never the edge's).</summary>
    public static X509Certificate2 Certificate { get; } = CreateCertificate();

    public static LoopbackBackend Start() => new(async (socket, ct) =>
    {
        await using SslStream ssl = new(new NetworkStream(socket, ownsSocket: false));
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, ct);
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int read = await ssl.ReadAsync(buffer, ct);
            if (read == 0)
            {
                break;
            }

            await ssl.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        await ssl.ShutdownAsync();
        socket.Shutdown(SocketShutdown.Send);
    });

    private static X509Certificate2 CreateCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=passthrough-backend", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
