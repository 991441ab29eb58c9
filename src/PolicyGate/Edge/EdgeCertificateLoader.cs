using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>
/// Loads the edge's wildcard certificate: edge.cert_file/key_file (PEM, chain after the leaf), or in dev a self-signed cert for
/// *.&lt;base_domain&gt; and &lt;base_domain&gt; generated once into &lt;data_dir&gt;/certs. Called when a runtime config is compiled.
/// With [edge.acme] the last ACME certificate in &lt;data_dir&gt;/acme is loaded (so a reload keeps serving it), else
/// edge.cert_file when set; never the dev certificate.
/// </summary>
public static class EdgeCertificateLoader
{
    /// <summary>True when the dev self-signed certificate is in use (production mode refuses it).</summary>
    public static bool UsesDevCertificate(PolicyGateOptions options) => string.IsNullOrEmpty(options.Edge.CertFile) && !options.Edge.Acme.Enabled;

    /// <summary>Reads the certificate files now; never throws for a bad or missing file (the result says why).</summary>
    public static EdgeCertificate Load(PolicyGateOptions options)
    {
        string certFile;
        string keyFile;
        PolicyGate.Acme.AcmeFiles acme = new(options.DataDirectory);
        try
        {
            if (options.Edge.Acme.Enabled && acme.HasCertificate)
            {
                (certFile, keyFile) = (acme.CertificateFile, acme.CertificateKeyFile);
            }
            else if (options.Edge.Acme.Enabled && string.IsNullOrEmpty(options.Edge.CertFile))
            {
                return new EdgeCertificate(null, "edge.acme: no certificate obtained yet");
            }
            else if (UsesDevCertificate(options))
            {
                (certFile, keyFile) = DevCertificate.EnsureCreated(options.DataDirectory, options.Edge.BaseDomain);
            }
            else
            {
                certFile = options.ResolvePath(options.Edge.CertFile);
                keyFile = options.ResolvePath(string.IsNullOrEmpty(options.Edge.KeyFile) ? options.Edge.CertFile : options.Edge.KeyFile);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new EdgeCertificate(null, $"edge dev certificate in {options.DataDirectory}: {ex.Message}");
        }

        try
        {
            return new EdgeCertificate(LoadContext(certFile, keyFile), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return new EdgeCertificate(null, $"edge certificate {certFile}: {ex.Message}");
        }
    }

    /// <summary>Loads a PEM chain (leaf first) and its PEM key into a handshake-ready context; throws on a bad file.</summary>
    public static SslStreamCertificateContext LoadContext(string certFile, string keyFile)
    {
        X509Certificate2 leaf = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        X509Certificate2Collection all = [];
        all.ImportFromPemFile(certFile);
        X509Certificate2Collection chain = [];
        foreach (X509Certificate2 cert in all)
        {
            if (!string.Equals(cert.Thumbprint, leaf.Thumbprint, StringComparison.Ordinal))
            {
                chain.Add(cert);
            }
        }

        return SslStreamCertificateContext.Create(leaf, chain, offline: true);
    }
}
