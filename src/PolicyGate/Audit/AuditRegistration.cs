using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Operations;

namespace PolicyGate.Audit;

/// <summary>Wires the audit chain writer (IAuditLog), checkpoints and the verify endpoint into the host.</summary>
public static partial class AuditRegistration
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
                OnCheckpointWritten = AuditMetrics.CheckpointWritten,
                OnWarning = message => Log.Warning(logger, message),
            });
        });
        services.AddSingleton<IAuditLog>(static provider => provider.GetRequiredService<AuditChainWriter>());
        services.AddSingleton<IReadinessCheck, AuditReadinessCheck>();
        services.AddHostedService<AuditChainService>();
        return services;
    }

    /// <summary>Maps GET /api/v1/audit/verify, /audit/entries and /audit/status into the authenticated admin group.</summary>
    public static void MapAuditAdmin(RouteGroupBuilder api)
    {
        AuditAdminEndpoints.Map(api);
        api.MapGet("/audit/verify", static async (HttpContext context) =>
        {
            AuditChainWriter writer = context.RequestServices.GetRequiredService<AuditChainWriter>();
            AuditKeyMaterial keys = context.RequestServices.GetRequiredService<AuditKeyMaterial>();
            try
            {
                await writer.FlushAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // verify what is on disk anyway; the report shows whatever the failure left behind
            }
            AuditVerifyReport report = await Task.Run(() => AuditChainVerifier.Verify(keys.Directory, keys.HmacKey, keys.SigningKey.PublicKey, liveTail: true));
            return Results.Content(report.ToJson().ToJsonString(), "application/json");
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.AuditWarning, Level = LogLevel.Warning, Message = "{Message}")]
        public static partial void Warning(ILogger logger, string message);
    }
}
