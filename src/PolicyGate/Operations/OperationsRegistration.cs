using PolicyGate.Cli;
using PolicyGate.Configuration;
using Serilog;

namespace PolicyGate.Operations;

/// <summary>Wires logging, metrics, health, reload and systemd integration (DESIGN §11).</summary>
public static class OperationsRegistration
{
    public static void ConfigureLogging(WebApplicationBuilder builder, PolicyGateOptions options)
    {
        builder.Services.AddSerilog((_, configuration) => LogConfiguration.Apply(configuration, options), preserveStaticLogger: true);
    }

    /// <summary>Registers the operations services; throws <see cref="ConfigException"/> when production mode refuses the options.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, PolicyGateOptions options)
    {
        ProductionGuard.Check(options, Environment.GetEnvironmentVariable);
        OperationsMetrics.Initialize(options.Node.Mode);
        services.AddMetrics();
        // Connections get edge.timeouts.shutdown to drain; the rest (audit flush, final checkpoint) needs time after that.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Edge.Timeouts.Shutdown + TimeSpan.FromSeconds(10));
        services.AddSingleton<ConfigReloader>();
        services.AddSingleton<ReadinessEvaluator>();
        services.AddSingleton<IReadinessCheck, LifecycleReadinessCheck>();
        services.AddSingleton(sp => new SelfCheck(sp.GetRequiredService<ReadinessEvaluator>(), ListenAddress.Parse(options.Metrics.Listen)));
        services.AddHostedService(sp => new SystemdWatchdogService(
            WatchdogSettings.FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId),
            sp.GetRequiredService<SelfCheck>(),
            sp.GetRequiredService<ILogger<SystemdWatchdogService>>()));
        services.AddHostedService<SighupReloadService>();
        if (options.Demo)
        {
            services.AddDemoBackends();
        }

        return services;
    }

    /// <summary>Maps /metrics, /healthz, /readyz (only on the metrics listener).</summary>
    public static void MapOperations(WebApplication app)
    {
        RouteGroupBuilder metrics = app.MapGroup("")
            .AddEndpointFilter(static async (context, next) =>
                ListenerFeature.Of(context.HttpContext) == ListenerKind.Metrics ? await next(context) : Results.NotFound());
        metrics.MapGet("/healthz", static () => Results.Text("ok"));
        metrics.MapGet("/readyz", HealthEndpoints.Ready);
        metrics.MapGet("/metrics", HealthEndpoints.Metrics);
    }

    /// <summary>Maps POST /api/v1/reload into the authenticated admin group (called by AdminRegistration.MapAdmin).</summary>
    public static void MapReloadAdmin(RouteGroupBuilder api)
    {
        api.MapPost("/reload", HealthEndpoints.Reload);
    }
}
