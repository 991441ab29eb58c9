using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PolicyGate.Configuration;

namespace PolicyGate.Edge;

/// <summary>
/// edge.client_ca_file (Cloudflare Authenticated Origin Pulls): a terminated handshake must present a client certificate
/// chaining to one of the file's CA certificates; each refusal is counted by reason (missing | untrusted).
/// </summary>
public sealed class EdgeClientCertificateValidator
{
    public const string ReasonMissing = "missing";
    public const string ReasonUntrusted = "untrusted";

    private EdgeClientCertificateValidator(PolicyGateOptions options)
    {
        RefusePassthrough = options.Edge.ClientCaPassthrough == "refuse";
        string path = options.ResolvePath(options.Edge.ClientCaFile);
        try
        {
            X509Certificate2Collection roots = [];
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
            {
                Error = $"edge.client_ca_file {path}: no PEM certificate in the file";
                return;
            }

            X509ChainPolicy policy = new()
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            policy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // clientAuth
            ChainPolicy = policy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Error = $"edge.client_ca_file {path}: {e.Message}";
        }
    }

    /// <summary>Compiles edge.client_ca_file (read now); null when it is not set. A bad file is recorded in <see cref="Error"/>, not thrown.</summary>
    public static EdgeClientCertificateValidator? Load(PolicyGateOptions options) =>
        options.Edge.ClientCaFile.Length == 0 ? null : new EdgeClientCertificateValidator(options);

    /// <summary>edge.client_ca_passthrough = "refuse": passthrough routes are closed before forwarding.</summary>
    public bool RefusePassthrough { get; }

    /// <summary>Why the CA file could not be used; every terminated handshake is refused then (fail closed).</summary>
    public string? Error { get; }

    /// <summary>The chain policy trusting only the configured CAs.</summary>
    public X509ChainPolicy? ChainPolicy { get; }

    /// <summary>Handshake callback: no certificate or an untrusted one → refused and counted.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The server's name check does not apply to a client certificate; only presence and chain matter.
        errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        EdgeMetrics.ClientCertificateRefusals.WithLabels(certificate is null ? ReasonMissing : ReasonUntrusted).Inc();
        return false;
    }
}
