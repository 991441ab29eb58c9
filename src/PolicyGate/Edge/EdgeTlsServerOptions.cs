using System.Net.Security;
using System.Security.Authentication;

namespace PolicyGate.Edge;

/// <summary>Server TLS options for termination, built once per ALPN set over one loaded certificate context (DESIGN §4.5); immutable.</summary>
public sealed class EdgeTlsServerOptions
{
    private readonly SslServerAuthenticationOptions? _http1AndHttp2;
    private readonly SslServerAuthenticationOptions? _http2Only;
    private readonly SslServerAuthenticationOptions? _http1Only;

    private EdgeTlsServerOptions(EdgeCertificate certificate, SslProtocols protocols)
    {
        Certificate = certificate;
        Protocols = protocols;
        if (certificate.Context is { } context)
        {
            _http1AndHttp2 = Create(context, protocols, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
            _http2Only = Create(context, protocols, [SslApplicationProtocol.Http2]);
            _http1Only = Create(context, protocols, [SslApplicationProtocol.Http11]);
        }
    }

    /// <summary>The certificate these options serve (its context, or why it could not be loaded).</summary>
    public EdgeCertificate Certificate { get; }

    public SslProtocols Protocols { get; }

    /// <summary>Builds the three ALPN variants over <paramref name="certificate"/> (none when it failed to load).</summary>
    public static EdgeTlsServerOptions Create(EdgeCertificate certificate, SslProtocols protocols) => new(certificate, protocols);

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

    /// <summary>Options for a route: `g` → ALPN h2 only; http ports → http/1.1 and h2; tcp and health → http/1.1 when asked; null without a certificate.</summary>
    public SslServerAuthenticationOptions? For(bool http2Only, bool allowHttp2) =>
        http2Only ? _http2Only : allowHttp2 ? _http1AndHttp2 : _http1Only;

    private static SslServerAuthenticationOptions Create(SslStreamCertificateContext context, SslProtocols protocols, List<SslApplicationProtocol> alpn) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = protocols,
        ApplicationProtocols = alpn,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
