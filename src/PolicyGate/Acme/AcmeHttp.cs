using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Acme;

/// <summary>HTTP clients of the ACME service: the ACME server (optionally trusting only edge.acme.ca_file) and the DNS API.</summary>
public static class AcmeHttp
{
    public static HttpClient ForAcmeServer(PolicyGateOptions options)
    {
        SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.Edge.Acme.CaFile.Length > 0)
        {
            X509Certificate2Collection roots = [];
            roots.ImportFromPemFile(options.ResolvePath(options.Edge.Acme.CaFile));
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public static HttpClient ForDnsApi() => new() { Timeout = TimeSpan.FromSeconds(30) };
}
