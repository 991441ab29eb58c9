using Prometheus;

namespace PolicyGate.Egress;

/// <summary>policygate_egress_decisions_total{layer,action} (DESIGN §11).</summary>
public static class EgressMetrics
{
    private static readonly Counter s_decisions = Metrics.CreateCounter(
        "policygate_egress_decisions_total", "Egress proxy decisions by deciding layer and action.", "layer", "action");

    public static void Count(string layer, string action) => s_decisions.WithLabels(layer, action).Inc();
}
