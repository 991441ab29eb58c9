using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>
/// The edge's wildcard certificate: edge.cert_file/key_file (PEM, chain after the leaf), or in dev a self-signed cert for
/// *.&lt;base_domain&gt; and &lt;base_domain&gt; generated once into &lt;data_dir&gt;/certs. Loaded once; the context is cached.
/// With edge.acme the ACME service publishes each new certificate here; readers see the swap atomically (a handshake in
/// progress keeps the context it started with, so no connection is dropped).
/// </summary>
public sealed class EdgeCertificateProvider
{
    private readonly Lazy<(SslStreamCertificateContext? Context, string? Error)> _loaded;
    private volatile SslStreamCertificateContext? _published;

    public EdgeCertificateProvider(PolicyGateOptions options)
    {
        _loaded = new Lazy<(SslStreamCertificateContext?, string?)>(() => Load(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The cached certificate context, or null when loading failed (see <see cref="Error"/>).</summary>
    public SslStreamCertificateContext? Context => _published ?? _loaded.Value.Context;

    /// <summary>Why the certificate could not be loaded; null when loaded.</summary>
    public string? Error => _published is null ? _loaded.Value.Error : null;

    /// <summary>Replaces the served certificate (ACME issuance or renewal); new handshakes use it at once.</summary>
    public void Publish(SslStreamCertificateContext context) => _published = context;

    /// <summary>True when the dev self-signed certificate is in use (production mode refuses it; an ACME certificate is real).</summary>
    public static bool UsesDevCertificate(PolicyGateOptions options) => string.IsNullOrEmpty(options.Edge.CertFile) && !options.Edge.Acme.Enabled;

    /// <summary>Loads a PEM chain (leaf first) and its PEM key into a handshake-ready context.</summary>
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

    private static (SslStreamCertificateContext?, string?) Load(PolicyGateOptions options)
    {
        if (options.Edge.Acme.Enabled && string.IsNullOrEmpty(options.Edge.CertFile))
        {
            return (null, "edge.acme: no certificate obtained yet");
        }

        string certFile;
        string keyFile;
        if (UsesDevCertificate(options))
        {
            (certFile, keyFile) = DevCertificate.EnsureCreated(options.DataDirectory, options.Edge.BaseDomain);
        }
        else
        {
            certFile = options.ResolvePath(options.Edge.CertFile);
            keyFile = options.ResolvePath(string.IsNullOrEmpty(options.Edge.KeyFile) ? options.Edge.CertFile : options.Edge.KeyFile);
        }

        try
        {
            return (LoadContext(certFile, keyFile), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return (null, $"edge certificate {certFile}: {ex.Message}");
        }
    }
}
