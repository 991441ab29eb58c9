namespace PolicyGate.AccessLog;

/// <summary>Registers the access-log writer (a hosted service; the edge and the HTTP pipeline hand it entries).</summary>
public static class AccessLogRegistration
{
    public static IServiceCollection AddAccessLog(this IServiceCollection services)
    {
        services.AddSingleton<AccessLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        return services;
    }
}
