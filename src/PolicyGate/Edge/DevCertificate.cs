using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Edge;

/// <summary>Creates the dev self-signed edge certificate once (ECDSA P-256, SAN *.&lt;base&gt; and &lt;base&gt;) and reuses it on restart.</summary>
internal static class DevCertificate
{
    public static (string CertFile, string KeyFile) EnsureCreated(string dataDirectory, string baseDomain)
    {
        string dir = Path.Combine(dataDirectory, "certs");
        string certFile = Path.Combine(dir, "edge-dev.crt");
        string keyFile = Path.Combine(dir, "edge-dev.key");
        if (File.Exists(certFile) && File.Exists(keyFile))
        {
            return (certFile, keyFile);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            // data_dir itself is private (0700) whoever creates it first; the runtime config compiles before the other services start.
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new($"CN=*.{baseDomain}", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName("*." + baseDomain);
        san.AddDnsName(baseDomain);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));

        // Write to temp names then rename, so a crash never leaves a half-written pair that would be "reused".
        string tmpKey = keyFile + ".tmp";
        string tmpCert = certFile + ".tmp";
        File.WriteAllText(tmpKey, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmpKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(tmpCert, cert.ExportCertificatePem());
        File.Move(tmpKey, keyFile, overwrite: true);
        File.Move(tmpCert, certFile, overwrite: true);
        return (certFile, keyFile);
    }
}
