using Prometheus;

namespace PolicyGate.Operations;

/// <summary>The operations plane's own policygate_ metrics.</summary>
public static class OperationsMetrics
{
    public static readonly Counter ConfigReloads = Metrics.CreateCounter(
        "policygate_config_reloads_total", "Config reloads (SIGHUP, POST /api/v1/reload) by outcome.", "outcome");

    public static readonly Gauge Ready = Metrics.CreateGauge(
        "policygate_ready", "1 while every readiness check passes (as last evaluated by /readyz or the watchdog), else 0.");

    public static readonly Gauge BuildInfo = Metrics.CreateGauge(
        "policygate_build_info", "Always 1; labels carry the version and node mode.", "version", "mode");

    /// <summary>Makes the labelled series visible from the first scrape.</summary>
    public static void Initialize(string mode)
    {
        ConfigReloads.WithLabels("ok");
        ConfigReloads.WithLabels("error");
        BuildInfo.WithLabels(typeof(OperationsMetrics).Assembly.GetName().Version?.ToString() ?? "0", mode).Set(1);

        // prometheus-net connects its .NET meter adapter on the first export; do it now so Kestrel/YARP
        // instruments are observed from the first connection (prometheus-net issue #487).
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
    }
}
