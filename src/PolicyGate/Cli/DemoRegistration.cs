using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PolicyGate.Cli;

/// <summary>Adds the --demo backends to the node (ports from <see cref="DemoOptions"/>, replaceable by tests).</summary>
public static class DemoRegistration
{
    public static IServiceCollection AddDemoBackends(this IServiceCollection services)
    {
        services.TryAddSingleton(new DemoOptions());
        services.AddSingleton<DemoHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoHostedService>());
        return services;
    }
}
