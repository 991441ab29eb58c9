using Prometheus;

namespace PolicyGate.Edge;

/// <summary>The edge's Prometheus metrics (DESIGN §11), registered once in the default registry.</summary>
public static class EdgeMetrics
{
    /// <summary>Connections by mode (passthrough | tcp | http) and outcome (ok | denied | error).</summary>
    public static readonly Counter Connections = Prometheus.Metrics.CreateCounter(
        "policygate_edge_connections_total", "Edge connections by mode and outcome.", "mode", "outcome");

    /// <summary>Live edge connections by mode.</summary>
    public static readonly Gauge ActiveConnections = Prometheus.Metrics.CreateGauge(
        "policygate_edge_active_connections", "Edge connections currently open, by mode.", "mode");

    /// <summary>Every close-before-forward, by reason.</summary>
    public static readonly Counter Denials = Prometheus.Metrics.CreateCounter(
        "policygate_edge_denials_total", "Edge connections closed before forwarding, by reason.", "reason");

    /// <summary>Terminated handshakes refused by edge.client_ca_file, by reason (missing | untrusted).</summary>
    public static readonly Counter ClientCertificateRefusals = Prometheus.Metrics.CreateCounter(
        "policygate_edge_client_certificate_refusals_total", "Edge TLS handshakes refused for a missing or untrusted client certificate (edge.client_ca_file).", "reason");

    /// <summary>Time to the winning backend connect.</summary>
    public static readonly Histogram BackendConnectSeconds = Prometheus.Metrics.CreateHistogram(
        "policygate_backend_connect_seconds", "Time to connect to the winning backend.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
}
