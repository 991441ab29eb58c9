using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PolicyGate.Tests.Acme.Support;

/// <summary>A TLS client to the edge that trusts only one root (e.g. pebble's) and checks the host name, like a browser would.</summary>
public static class TrustedEdgeClient
{
    /// <summary>GET / on `health.&lt;base&gt;` over a new connection; returns the status line and the served leaf. Throws when the chain or name does not verify.</summary>
    public static async Task<(string StatusLine, X509Certificate2 Leaf)> GetHealthAsync(IPEndPoint edge, string host, X509Certificate2Collection roots)
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(edge, timeout.Token);
        await using SslStream ssl = new(new NetworkStream(socket, ownsSocket: false));
        X509ChainPolicy policy = new() { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            CertificateChainPolicy = policy,
            RemoteCertificateValidationCallback = static (_, _, _, errors) => errors == SslPolicyErrors.None,
        }, timeout.Token);
        X509Certificate2 leaf = new(ssl.RemoteCertificate!);
        await ssl.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"), timeout.Token);
        using StreamReader reader = new(ssl);
        string statusLine = await reader.ReadLineAsync(timeout.Token) ?? "";
        return (statusLine, leaf);
    }

    public static X509Certificate2Collection LoadRoots(string pemFile)
    {
        X509Certificate2Collection roots = [];
        roots.ImportFromPemFile(pemFile);
        return roots;
    }
}
