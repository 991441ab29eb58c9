using Prometheus;

namespace PolicyGate.Inspection;

/// <summary>Prometheus counters of response inspection (DESIGN §11).</summary>
internal static class InspectionMetrics
{
    public static readonly Counter Verdicts = Metrics.CreateCounter(
        "policygate_inspection_verdicts_total", "Inspected responses by verdict (pass, block, redact, monitor) and detector.",
        new CounterConfiguration { LabelNames = ["verdict", "detector"] });

    public static readonly Counter Disagreements = Metrics.CreateCounter(
        "policygate_inspection_disagreements_total", "Responses where one channel flagged a shared risk (leakage, secret) that the other channel covers but did not flag.");

    private static Counter.Child? s_passed;

    /// <summary>The `pass`/`none` verdict child, looked up once (created on first use so it only appears after a pass).</summary>
    public static Counter.Child Passed => s_passed ??= Verdicts.WithLabels("pass", "none");

    public static readonly Counter ScannedBytes = Metrics.CreateCounter(
        "policygate_inspection_scanned_bytes_total", "Decoded response body bytes scanned.");
}
