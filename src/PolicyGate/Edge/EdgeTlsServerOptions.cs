using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace PolicyGate.Edge;

/// <summary>
/// Server TLS options for termination, built once per ALPN set over one loaded certificate context (DESIGN §4.5); immutable.
/// With edge.client_ca_file every terminated route except `health` requires a client certificate chaining to it during the
/// handshake (Cloudflare Authenticated Origin Pulls).
/// </summary>
public sealed class EdgeTlsServerOptions
{
    private readonly SslServerAuthenticationOptions? _http1AndHttp2;
    private readonly SslServerAuthenticationOptions? _http2Only;
    private readonly SslServerAuthenticationOptions? _http1Only;
    private readonly SslServerAuthenticationOptions? _health;

    private EdgeTlsServerOptions(EdgeCertificate certificate, SslProtocols protocols, EdgeClientCertificateValidator? clients)
    {
        Certificate = certificate;
        Protocols = protocols;
        ClientCertificates = clients;
        if (certificate.Context is { } context)
        {
            _health = Create(context, protocols, [SslApplicationProtocol.Http11], null);
            if (clients is null || clients.Error is null)
            {
                // A client CA that failed to load leaves these null: every terminated route but health is refused (fail closed).
                _http1AndHttp2 = Create(context, protocols, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], clients);
                _http2Only = Create(context, protocols, [SslApplicationProtocol.Http2], clients);
                _http1Only = Create(context, protocols, [SslApplicationProtocol.Http11], clients);
            }
        }
    }

    /// <summary>The certificate these options serve (its context, or why it could not be loaded).</summary>
    public EdgeCertificate Certificate { get; }

    public SslProtocols Protocols { get; }

    /// <summary>edge.client_ca_file compiled, or null when no client certificate is required.</summary>
    public EdgeClientCertificateValidator? ClientCertificates { get; }

    /// <summary>True when passthrough routes must be refused (client CA set and edge.client_ca_passthrough = "refuse").</summary>
    public bool RefusesPassthrough => ClientCertificates is { RefusePassthrough: true };

    /// <summary>Builds the ALPN variants over <paramref name="certificate"/> (none when it failed to load).</summary>
    public static EdgeTlsServerOptions Create(EdgeCertificate certificate, SslProtocols protocols, EdgeClientCertificateValidator? clients = null) =>
        new(certificate, protocols, clients);

    /// <summary>The same settings over another certificate (an ACME issuance or renewal).</summary>
    public EdgeTlsServerOptions WithCertificate(EdgeCertificate certificate) => new(certificate, Protocols, ClientCertificates);

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
    /// Options for a route: `g` → ALPN h2 only; http ports → http/1.1 and h2; tcp → http/1.1 when asked; health → http/1.1 and
    /// never a client certificate; null without a certificate (or with a client CA that failed to load).
    /// </summary>
    public SslServerAuthenticationOptions? For(bool http2Only, bool allowHttp2, bool health = false) =>
        health ? _health : http2Only ? _http2Only : allowHttp2 ? _http1AndHttp2 : _http1Only;

    private static SslServerAuthenticationOptions Create(SslStreamCertificateContext context, SslProtocols protocols, List<SslApplicationProtocol> alpn,
        EdgeClientCertificateValidator? clients) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = protocols,
        ApplicationProtocols = alpn,
        ClientCertificateRequired = clients is not null,
        CertificateChainPolicy = clients?.ChainPolicy,
        RemoteCertificateValidationCallback = clients is null ? null : clients.Validate,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
