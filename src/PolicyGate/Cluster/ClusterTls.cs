using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Cluster;

/// <summary>The cluster's mTLS material: this node's certificate and key, and the CA every peer certificate must chain to.</summary>
public sealed class ClusterTls
{
    private readonly X509Certificate2Collection _ca;

    private ClusterTls(X509Certificate2 certificate, X509Certificate2Collection ca)
    {
        Certificate = certificate;
        _ca = ca;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Loads cluster.cert_file/key_file/ca_file; a missing or bad file is a <see cref="ConfigException"/> naming the key.</summary>
    public static ClusterTls Load(ClusterOptions options)
    {
        X509Certificate2 certificate;
        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile);
            // Re-import so the private key is usable by SslStream on every platform.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ConfigException($"cluster.cert_file/cluster.key_file: cannot load {options.CertFile} with {options.KeyFile}: {e.Message}");
        }

        X509Certificate2Collection ca = [];
        try
        {
            ca.ImportFromPemFile(options.CaFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ConfigException($"cluster.ca_file: cannot load {options.CaFile}: {e.Message}");
        }

        if (ca.Count == 0)
        {
            throw new ConfigException($"cluster.ca_file: {options.CaFile} holds no certificate");
        }

        return new ClusterTls(certificate, ca);
    }

    /// <summary>True when <paramref name="peer"/> chains to the cluster CA (and only to it: the system roots are not trusted here).</summary>
    public bool ChainsToCa(X509Certificate? peer)
    {
        if (peer is null)
        {
            return false;
        }

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        using X509Chain chain = new();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>Server certificate check of the follower: chains to the cluster CA and names the leader_url host.</summary>
    public bool ValidateServer(X509Certificate? certificate, SslPolicyErrors errors) =>
        (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0 && ChainsToCa(certificate);
}
