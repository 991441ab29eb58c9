using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Edge;

/// <summary>
/// Creates the dev self-signed edge certificate (ECDSA P-256, SAN *.&lt;base&gt;, &lt;base&gt; and, for a single-label
/// base domain, each of <see cref="DevCertificateNames"/> explicitly) and reuses it while it still names them all.
/// </summary>
internal static class DevCertificate
{
    public static (string CertFile, string KeyFile) EnsureCreated(string dataDirectory, string baseDomain, IReadOnlyList<string> labels)
    {
        string dir = Path.Combine(dataDirectory, "certs");
        string certFile = Path.Combine(dir, "edge-dev.crt");
        string keyFile = Path.Combine(dir, "edge-dev.key");
        List<string> names = ["*." + baseDomain, baseDomain];
        if (!baseDomain.Contains('.', StringComparison.Ordinal))
        {
            names.AddRange(labels.Select(label => label + "." + baseDomain).Distinct(StringComparer.Ordinal));
        }

        if (File.Exists(certFile) && File.Exists(keyFile) && NamesAll(certFile, names))
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
        foreach (string name in names)
        {
            san.AddDnsName(name);
        }
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

    private static bool NamesAll(string certFile, List<string> names)
    {
        try
        {
            using X509Certificate2 existing = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
            HashSet<string> present = existing.Extensions.Where(e => e.Oid?.Value == "2.5.29.17")
                .SelectMany(e => new X509SubjectAlternativeNameExtension(e.RawData).EnumerateDnsNames()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return names.All(present.Contains) && existing.NotAfter > DateTime.Now.AddDays(7);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            return false;
        }
    }
}
