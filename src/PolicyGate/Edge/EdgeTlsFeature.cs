using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace PolicyGate.Edge;

/// <summary>TLS facts of a terminated connection, exposed to Kestrel's HTTP layer (https scheme, ALPN → HTTP/1.1 or HTTP/2).</summary>
internal sealed class EdgeTlsFeature(SslStream ssl) : ITlsConnectionFeature, ITlsApplicationProtocolFeature, ITlsHandshakeFeature
{
    public X509Certificate2? ClientCertificate { get; set; }

    public ReadOnlyMemory<byte> ApplicationProtocol { get; } = ssl.NegotiatedApplicationProtocol.Protocol;

    public SslProtocols Protocol { get; } = ssl.SslProtocol;

    public TlsCipherSuite? NegotiatedCipherSuite { get; } = ssl.NegotiatedCipherSuite;

    public string HostName { get; } = ssl.TargetHostName;

#pragma warning disable SYSLIB0058 // legacy members of ITlsHandshakeFeature; NegotiatedCipherSuite is the real answer
    public CipherAlgorithmType CipherAlgorithm => CipherAlgorithmType.None;
    public int CipherStrength => 0;
    public HashAlgorithmType HashAlgorithm => HashAlgorithmType.None;
    public int HashStrength => 0;
    public ExchangeAlgorithmType KeyExchangeAlgorithm => ExchangeAlgorithmType.None;
    public int KeyExchangeStrength => 0;
#pragma warning restore SYSLIB0058

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
}
