using PolicyGate.Operations;

namespace PolicyGate.Admin;

/// <summary>Logs at start where the admin token comes from (its path in dev), never the token.</summary>
public sealed partial class AdminTokenAnnouncer(AdminToken token, ILogger<AdminTokenAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.TokenSource(logger, token.Source, token.CallerId);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.AdminTokenSource, Level = LogLevel.Information, Message = "admin API token from {Source} (caller id {CallerId})")]
        public static partial void TokenSource(ILogger logger, string source, string callerId);
    }
}
