using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>
/// Server TLS options for termination, built once per ALPN set over the current certificate context (DESIGN §4.5) and
/// rebuilt when the context is replaced (ACME renewal). With edge.client_ca_file a client certificate chaining to it is
/// required during the handshake (Cloudflare Authenticated Origin Pulls); the health route is exempt.
/// </summary>
internal sealed class EdgeTlsOptions
{
    private readonly EdgeCertificateProvider _certificates;
    private readonly EdgeClientCertificateValidator? _clientCertificates;
    private readonly SslProtocols _protocols;
    private volatile OptionSet? _set;

    public EdgeTlsOptions(PolicyGateOptions options, EdgeCertificateProvider certificates, EdgeClientCertificateValidator clientCertificates)
    {
        _certificates = certificates;
        _clientCertificates = clientCertificates.Enabled ? clientCertificates : null;
        _protocols = ParseVersions(options.Edge.TlsVersions);
    }

    /// <summary>Maps edge.tls_versions ("1.2", "1.3") to <see cref="SslProtocols"/>; throws <see cref="FormatException"/> on anything else.</summary>
    public static SslProtocols ParseVersions(IEnumerable<string> versions)
    {
        SslProtocols protocols = SslProtocols.None;
        foreach (string version in versions)
        {
            protocols |= version.Trim() switch
            {
                "1.2" => SslProtocols.Tls12,
                "1.3" => SslProtocols.Tls13,
                _ => throw new FormatException($"edge.tls_versions: '{version}' is not one of 1.2, 1.3"),
            };
        }

        return protocols == SslProtocols.None ? SslProtocols.Tls12 | SslProtocols.Tls13 : protocols;
    }

    /// <summary>
    /// Options for a route: `g` → ALPN h2 only; http ports → http/1.1 and h2; tcp and health → http/1.1 when asked.
    /// Null when no certificate is loaded, or a client CA is configured but could not be loaded (fail closed).
    /// </summary>
    public SslServerAuthenticationOptions? For(bool http2Only, bool allowHttp2, bool health = false)
    {
        SslStreamCertificateContext? context = _certificates.Context;
        if (context is null || (_clientCertificates is not null && !health && _clientCertificates.Error is not null))
        {
            return null;
        }

        OptionSet? set = _set;
        if (set is null || !ReferenceEquals(set.Context, context))
        {
            _set = set = new OptionSet(context); // a race builds two sets over the same context; both are correct
        }

        EdgeClientCertificateValidator? clients = health ? null : _clientCertificates;
        if (health)
        {
            return set.Health ??= Create(context, [SslApplicationProtocol.Http11], null);
        }

        if (http2Only)
        {
            return set.Http2Only ??= Create(context, [SslApplicationProtocol.Http2], clients);
        }

        return allowHttp2
            ? set.Http1AndHttp2 ??= Create(context, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], clients)
            : set.Http1Only ??= Create(context, [SslApplicationProtocol.Http11], clients);
    }

    private SslServerAuthenticationOptions Create(SslStreamCertificateContext context, List<SslApplicationProtocol> alpn, EdgeClientCertificateValidator? clients) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = _protocols,
        ApplicationProtocols = alpn,
        ClientCertificateRequired = clients is not null,
        CertificateChainPolicy = clients?.ChainPolicy,
        RemoteCertificateValidationCallback = clients is null ? null : clients.Validate,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };

    /// <summary>The options built over one certificate context.</summary>
    private sealed class OptionSet(SslStreamCertificateContext context)
    {
        public SslStreamCertificateContext Context { get; } = context;
        public SslServerAuthenticationOptions? Http1AndHttp2 { get; set; }
        public SslServerAuthenticationOptions? Http2Only { get; set; }
        public SslServerAuthenticationOptions? Http1Only { get; set; }
        public SslServerAuthenticationOptions? Health { get; set; }
    }
}
