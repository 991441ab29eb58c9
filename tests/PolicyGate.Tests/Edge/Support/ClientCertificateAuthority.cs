using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>A throwaway CA (like Cloudflare's origin-pull CA) that issues client certificates, written as PEM files for curl/openssl.</summary>
public sealed class ClientCertificateAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly string _dir;

    public ClientCertificateAuthority(string dir, string name)
    {
        _dir = dir;
        CertificateRequest request = new("CN=" + name, _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Path.Combine(dir, name + "-ca.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
    }

    /// <summary>The CA certificate (edge.client_ca_file).</summary>
    public string CaFile { get; }

    /// <summary>Issues a client certificate (EKU clientAuth); returns its PEM certificate and key files.</summary>
    public (string CertFile, string KeyFile) IssueClient(string name)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        using X509Certificate2 cert = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(12));
        string certFile = Path.Combine(_dir, name + ".pem");
        string keyFile = Path.Combine(_dir, name + ".key");
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _key.Dispose();
    }
}
