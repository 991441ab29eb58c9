using PolicyGate.Operations;
using PolicyGate.Runtime;

namespace PolicyGate.Edge;

/// <summary>/readyz condition "certs loaded": the current runtime config's edge certificate (and edge.client_ca_file when set) is loaded, or the reason it is not.</summary>
internal sealed class CertificatesReadinessCheck(RuntimeConfigProvider runtime) : IReadinessCheck
{
    public string Name => "certs";

    public string? Check() => runtime.Current.Tls.Certificate is { IsLoaded: false } failed
        ? failed.Error ?? "edge certificate not loaded"
        : runtime.Current.Tls.ClientCertificates?.Error;
}
