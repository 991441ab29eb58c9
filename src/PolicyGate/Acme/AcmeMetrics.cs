using Prometheus;

namespace PolicyGate.Acme;

/// <summary>Prometheus metrics of the ACME certificate service.</summary>
public static class AcmeMetrics
{
    /// <summary>Issuance and renewal attempts by kind (issue | renew) and outcome (ok | error).</summary>
    public static readonly Counter Certificates = Prometheus.Metrics.CreateCounter(
        "policygate_acme_certificates_total", "ACME certificate issuance and renewal attempts, by kind and outcome.", "kind", "outcome");

    /// <summary>Expiry of the certificate the edge serves (Unix seconds).</summary>
    public static readonly Gauge NotAfter = Prometheus.Metrics.CreateGauge(
        "policygate_acme_certificate_not_after_seconds", "Expiry (Unix time) of the ACME certificate the edge serves.");

    /// <summary>Failed attempts since the last success (0 when healthy).</summary>
    public static readonly Gauge ConsecutiveFailures = Prometheus.Metrics.CreateGauge(
        "policygate_acme_consecutive_failures", "ACME attempts failed in a row since the last success.");
}
