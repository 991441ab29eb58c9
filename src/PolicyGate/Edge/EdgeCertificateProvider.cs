using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>
/// The edge's wildcard certificate: edge.cert_file/key_file (PEM, chain after the leaf), or in dev a self-signed cert for
/// *.&lt;base_domain&gt; and &lt;base_domain&gt; generated once into &lt;data_dir&gt;/certs. Loaded once; the context is cached.
/// </summary>
public sealed class EdgeCertificateProvider
{
    private readonly Lazy<(SslStreamCertificateContext? Context, string? Error)> _loaded;

    public EdgeCertificateProvider(PolicyGateOptions options, DevCertificateNames? devNames = null)
    {
        IReadOnlyList<string> labels = devNames?.Labels ?? DevCertificateNames.Documented;
        _loaded = new Lazy<(SslStreamCertificateContext?, string?)>(() => Load(options, labels), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The cached certificate context, or null when loading failed (see <see cref="Error"/>).</summary>
    public SslStreamCertificateContext? Context => _loaded.Value.Context;

    /// <summary>Why the certificate could not be loaded; null when loaded.</summary>
    public string? Error => _loaded.Value.Error;

    /// <summary>True when the dev self-signed certificate is in use (production mode refuses it).</summary>
    public static bool UsesDevCertificate(PolicyGateOptions options) => string.IsNullOrEmpty(options.Edge.CertFile);

    private static (SslStreamCertificateContext?, string?) Load(PolicyGateOptions options, IReadOnlyList<string> labels)
    {
        string certFile;
        string keyFile;
        if (UsesDevCertificate(options))
        {
            (certFile, keyFile) = DevCertificate.EnsureCreated(options.DataDirectory, options.Edge.BaseDomain, labels);
        }
        else
        {
            certFile = options.ResolvePath(options.Edge.CertFile);
            keyFile = options.ResolvePath(string.IsNullOrEmpty(options.Edge.KeyFile) ? options.Edge.CertFile : options.Edge.KeyFile);
        }

        try
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

            return (SslStreamCertificateContext.Create(leaf, chain, offline: true), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return (null, $"edge certificate {certFile}: {ex.Message}");
        }
    }
}
