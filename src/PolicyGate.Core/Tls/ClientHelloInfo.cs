namespace PolicyGate.Core.Tls;

/// <summary>What the edge needs from a ClientHello: SNI host name (null when absent), ALPN list, legacy record version.</summary>
/// <param name="ServerName">The SNI host_name as sent (ASCII, case preserved), or null when the hello has no SNI.</param>
/// <param name="Alpn">ALPN protocol ids in client preference order (bytes mapped 1:1 to chars), empty when absent.</param>
/// <param name="TlsVersion">Legacy version of the first record, e.g. 0x0301.</param>
public sealed record ClientHelloInfo(string? ServerName, IReadOnlyList<string> Alpn, int TlsVersion);
