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

    private static readonly HashSet<string> s_perRequestMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Net.NameResolution",
    ];

    /// <summary>Makes the labelled series visible from the first scrape.</summary>
    public static void Initialize(string mode)
    {
        // Per-request .NET meters (hosting, routing, the backend HttpClient) cost ~10 % CPU on small proxied
        // requests (load/README.md); keep the runtime, Kestrel and connection-level meters only.
        Metrics.ConfigureMeterAdapter(static adapter => adapter.InstrumentFilterPredicate = static instrument => !s_perRequestMeters.Contains(instrument.Meter.Name));
        ConfigReloads.WithLabels("ok");
        ConfigReloads.WithLabels("error");
        BuildInfo.WithLabels(typeof(OperationsMetrics).Assembly.GetName().Version?.ToString() ?? "0", mode).Set(1);

        // prometheus-net connects its .NET meter adapter on the first export; do it now so Kestrel/YARP
        // instruments are observed from the first connection (prometheus-net issue #487).
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
    }
}
