using PolicyGate.Acme;
using PolicyGate.Admin;
using PolicyGate.Audit;
using PolicyGate.Configuration;
using PolicyGate.Edge;
using PolicyGate.Egress;
using PolicyGate.Http;
using PolicyGate.Inspection;
using PolicyGate.Operations;
using PolicyGate.Runtime;
using PolicyGate.Store;

namespace PolicyGate;

/// <summary>
/// Composition root: one Kestrel host serving the edge, admin, metrics and egress listeners. <see cref="PolicyGateOptions"/>
/// sizes the host (listeners, store, audit); the data path reads the compiled <see cref="RuntimeConfig"/> from
/// <see cref="RuntimeConfigProvider"/>, which reloads replace.
/// </summary>
public static class AppHost
{
    /// <summary>Builds the node; <paramref name="configureServices"/> lets tests add or replace services after the defaults.</summary>
    public static WebApplication Build(PolicyGateOptions options, Action<IServiceCollection>? configureServices = null)
    {
        RuntimeConfigProvider runtime = new(RuntimeConfig.Compile(options));
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = options.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Host.UseSystemd();
        OperationsRegistration.ConfigureLogging(builder, options);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddOperations(options);
        builder.Services.AddStore(options);
        builder.Services.AddAudit(options);
        builder.Services.AddInspection(options);
        builder.Services.AddAdmin(options);
        builder.Services.AddHttpPipeline();
        builder.Services.AddEdge();
        builder.Services.AddAcme(options);
        builder.Services.AddEgress();
        configureServices?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => ListenerSetup.Configure(kestrel, options));

        WebApplication app = builder.Build();
        app.MapWhen(static context => ListenerFeature.Of(context) == ListenerKind.Edge, HttpPipelineRegistration.BuildEdgePipeline);
        app.UseRouting();
        OperationsRegistration.MapOperations(app);
        AdminRegistration.MapAdmin(app);
        return app;
    }
}
