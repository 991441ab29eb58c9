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
    private SslServerAuthenticationOptions? _tcpAlpn;
    private SslServerAuthenticationOptions? _noAlpn;

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

    /// <summary>Options for a route: `g` → ALPN h2 only; http ports → http/1.1 and h2; health → http/1.1 when asked.</summary>
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

    /// <summary>
    /// A terminated tcp route: http/1.1 and h2 when the client offers one of them (http/1.1 preferred: a client offering both then
    /// speaks what most tcp backends expect), else no ALPN at all, so a handshake never fails with no_application_protocol
    /// (DESIGN §4.5); the relay is bytes either way.
    /// </summary>
    public SslServerAuthenticationOptions? ForTcp(IReadOnlyList<string> offered)
    {
        SslStreamCertificateContext? context = _certificates.Context;
        if (context is null)
        {
            return null;
        }

        return offered.Contains("h2") || offered.Contains("http/1.1")
            ? _tcpAlpn ??= Create(context, [SslApplicationProtocol.Http11, SslApplicationProtocol.Http2])
            : _noAlpn ??= Create(context, null);
    }

    private SslServerAuthenticationOptions Create(SslStreamCertificateContext context, List<SslApplicationProtocol>? alpn) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = _protocols,
        ApplicationProtocols = alpn,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
