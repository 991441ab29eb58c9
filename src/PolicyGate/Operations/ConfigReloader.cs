using PolicyGate.Configuration;
using PolicyGate.Runtime;

namespace PolicyGate.Operations;

/// <summary>
/// Re-reads the config file (SIGHUP, POST /api/v1/reload): load and validate → keep restart-only keys → production refusals →
/// compile a <see cref="RuntimeConfig"/> → each <see cref="IReloadable"/> → publish. Any failure before publishing changes nothing.
/// </summary>
public sealed partial class ConfigReloader(
    PolicyGateOptions startup,
    RuntimeConfigProvider runtime,
    IEnumerable<IReloadable> reloadables,
    ILogger<ConfigReloader> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PolicyGateOptions _loaded = startup;

    /// <summary>Reloads once (concurrent calls queue); never throws for a bad file, the result says why.</summary>
    public async Task<ReloadResult> ReloadAsync(string trigger, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ReloadResult result = await ReloadCoreAsync(cancellationToken);
            OperationsMetrics.ConfigReloads.WithLabels(result.Applied ? "ok" : "error").Inc();
            if (result.Applied)
            {
                Log.Reloaded(logger, trigger, result.Message);
            }
            else
            {
                Log.ReloadRejected(logger, trigger, result.Message);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReloadResult> ReloadCoreAsync(CancellationToken cancellationToken)
    {
        PolicyGateOptions running = _loaded;
        PolicyGateOptions reloaded;
        try
        {
            reloaded = running.SourceFile is null ? running : ConfigLoader.Load(running.SourceFile);
        }
        catch (ConfigException e)
        {
            return Kept(e.Message, []);
        }

        reloaded.Demo = running.Demo;
        reloaded.DevCertificateLabels = running.DevCertificateLabels;
        IReadOnlyList<string> kept = RestartOnlySettings.Keep(running, reloaded);
        foreach (string key in kept)
        {
            Log.RestartOnly(logger, key);
        }

        string? refusal = ProductionGuard.FindRefusal(reloaded, Environment.GetEnvironmentVariable);
        if (refusal is not null)
        {
            return Kept(refusal, kept);
        }

        RuntimeConfig next;
        try
        {
            next = RuntimeConfig.Compile(reloaded);
        }
        catch (ConfigException e)
        {
            return Kept(e.Message, kept);
        }

        if (next.Tls.Certificate.Error is { } certificateError && runtime.Current.Tls.Certificate.IsLoaded)
        {
            // Serving with the old certificate beats refusing every handshake.
            return Kept(certificateError, kept);
        }

        foreach (IReloadable reloadable in reloadables)
        {
            try
            {
                await reloadable.ReloadAsync(next, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Stop at the first rejection: the components after it and the runtime config keep their state.
                return new ReloadResult(false, $"rejected by {reloadable.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (running configuration kept)", kept);
            }
        }

        runtime.Publish(next);
        _loaded = reloaded;
        string source = running.SourceFile ?? "embedded defaults";
        return new ReloadResult(true, kept.Count == 0 ? $"reloaded {source}" : $"reloaded {source}; restart needed for {string.Join(", ", kept)}", kept);
    }

    private static ReloadResult Kept(string reason, IReadOnlyList<string> kept) => new(false, reason + " (running configuration kept)", kept);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ReloadReloaded, LogLevel.Information, "Reload ({Trigger}): {Message}")]
        public static partial void Reloaded(ILogger logger, string trigger, string message);

        [LoggerMessage(LogEvents.ReloadReloadRejected, LogLevel.Error, "Reload ({Trigger}) rejected: {Message}")]
        public static partial void ReloadRejected(ILogger logger, string trigger, string message);

        [LoggerMessage(LogEvents.ReloadRestartOnly, LogLevel.Warning, "Reload: {Key} changed but is restart-only; keeping the running value until restart")]
        public static partial void RestartOnly(ILogger logger, string key);
    }
}
