using PolicyGate.Operations;

namespace PolicyGate.Edge;

/// <summary>/readyz condition "certs loaded": the edge certificate (and edge.client_ca_file when set) is loaded, or the reason it is not.</summary>
internal sealed class CertificatesReadinessCheck(EdgeCertificateProvider certificates, EdgeClientCertificateValidator clientCertificates) : IReadinessCheck
{
    public string Name => "certs";

    public string? Check() => certificates.Context is null
        ? certificates.Error ?? "edge certificate not loaded"
        : clientCertificates.Error;
}
