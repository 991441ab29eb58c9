using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Tests.Http;

/// <summary>A self-signed ECDSA certificate for *.localhost made once per test run (the stand-in edge terminates TLS with it).</summary>
internal static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> s_certificate = new(Create);

    public static X509Certificate2 Instance => s_certificate.Value;

    private static X509Certificate2 Create()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=*.localhost", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName("*.localhost");
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
