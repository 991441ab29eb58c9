using Prometheus;

namespace PolicyGate.Cluster;

/// <summary>policygate_bundle_active_version, policygate_bundle_polls_total{outcome} (DESIGN §11) and the leader's policygate_bundle_requests_total{code}.</summary>
public static class BundleMetrics
{
    private static readonly Gauge s_activeVersion = Metrics.CreateGauge("policygate_bundle_active_version", "Version of the active policy bundle (0 = none).");

    private static readonly Counter s_polls = Metrics.CreateCounter("policygate_bundle_polls_total", "Follower polls of the leader by outcome.",
        new CounterConfiguration { LabelNames = ["outcome"] });

    private static readonly Counter s_requests = Metrics.CreateCounter("policygate_bundle_requests_total",
        "Leader: GET /api/v1/policy/latest answers by status code.", new CounterConfiguration { LabelNames = ["code"] });

    static BundleMetrics()
    {
        foreach (string outcome in new[] { BundlePollOutcomes.Ok, BundlePollOutcomes.NotModified, BundlePollOutcomes.Rejected, BundlePollOutcomes.Unreachable })
        {
            s_polls.WithLabels(outcome);
        }
    }

    public static void Active(ulong version) => s_activeVersion.Set(version);

    public static void Poll(string outcome) => s_polls.WithLabels(outcome).Inc();

    public static void Served(int status) => s_requests.WithLabels(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
