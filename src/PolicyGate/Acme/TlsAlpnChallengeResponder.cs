using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Core.Acme;

namespace PolicyGate.Acme;

/// <summary>
/// TLS-ALPN-01 (RFC 8737) on the edge listener: while a challenge is pending for a name, a ClientHello for that name
/// offering only ALPN "acme-tls/1" is answered with a self-signed certificate carrying the acmeIdentifier extension.
/// </summary>
public sealed class TlsAlpnChallengeResponder
{
    public const string AlpnProtocol = "acme-tls/1";
    private const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    private readonly ConcurrentDictionary<string, SslServerAuthenticationOptions> _pending = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True while any challenge is pending (the edge checks this before looking at ALPN).</summary>
    public bool Active => !_pending.IsEmpty;

    /// <summary>The handshake options for a validation connection, or null when this is not one.</summary>
    public SslServerAuthenticationOptions? For(string serverName, IReadOnlyList<string> alpn) =>
        alpn.Count == 1 && alpn[0] == AlpnProtocol && _pending.TryGetValue(serverName.TrimEnd('.'), out SslServerAuthenticationOptions? options) ? options : null;

    public void Add(string name, string keyAuthorization)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=" + name, key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509Extension(AcmeIdentifierOid, AcmeKeyAuthorization.TlsAlpnExtensionValue(keyAuthorization), critical: true));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        _pending[name] = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
            ApplicationProtocols = [new SslApplicationProtocol(AlpnProtocol)],
        };
    }

    public void Remove(string name) => _pending.TryRemove(name, out _);
}
