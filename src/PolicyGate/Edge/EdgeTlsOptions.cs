using System.Net.Security;
using System.Security.Authentication;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>Server TLS options for termination, built once per ALPN set over the cached certificate context (DESIGN §4.5).</summary>
internal sealed class EdgeTlsOptions
{
    private readonly EdgeCertificateProvider _certificates;
    private readonly SslProtocols _protocols;
    private SslServerAuthenticationOptions? _http1AndHttp2;
    private SslServerAuthenticationOptions? _http2Only;
    private SslServerAuthenticationOptions? _http1Only;

    public EdgeTlsOptions(PolicyGateOptions options, EdgeCertificateProvider certificates)
    {
        _certificates = certificates;
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

    /// <summary>Options for a route: `g` → ALPN h2 only; http ports → http/1.1 and h2; tcp and health → http/1.1 when asked.</summary>
    public SslServerAuthenticationOptions? For(bool http2Only, bool allowHttp2)
    {
        SslStreamCertificateContext? context = _certificates.Context;
        if (context is null)
        {
            return null;
        }

        if (http2Only)
        {
            return _http2Only ??= Create(context, [SslApplicationProtocol.Http2]);
        }

        return allowHttp2
            ? _http1AndHttp2 ??= Create(context, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11])
            : _http1Only ??= Create(context, [SslApplicationProtocol.Http11]);
    }

    private SslServerAuthenticationOptions Create(SslStreamCertificateContext context, List<SslApplicationProtocol> alpn) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = _protocols,
        ApplicationProtocols = alpn,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
