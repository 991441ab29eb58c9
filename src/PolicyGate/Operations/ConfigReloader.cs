using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>Re-reads the config file and hands it to every <see cref="IReloadable"/> (SIGHUP, POST /api/v1/reload); a bad file changes nothing.</summary>
public sealed partial class ConfigReloader(
    ActiveConfig active,
    IEnumerable<IReloadable> reloadables,
    ILogger<ConfigReloader> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

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
        PolicyGateOptions running = active.Current;
        PolicyGateOptions reloaded;
        try
        {
            reloaded = running.SourceFile is null ? running : ConfigLoader.Load(running.SourceFile);
        }
        catch (ConfigException e)
        {
            return new ReloadResult(false, e.Message + " (running configuration kept)", []);
        }

        reloaded.Demo = running.Demo;
        IReadOnlyList<string> kept = RestartOnlySettings.Keep(running, reloaded);
        foreach (string key in kept)
        {
            Log.RestartOnly(logger, key);
        }

        string? refusal = ProductionGuard.FindRefusal(reloaded, Environment.GetEnvironmentVariable);
        if (refusal is not null)
        {
            return new ReloadResult(false, refusal + " (running configuration kept)", kept);
        }

        List<string> failures = [];
        foreach (IReloadable reloadable in reloadables)
        {
            try
            {
                await reloadable.ReloadAsync(reloaded, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{reloadable.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        if (failures.Count > 0)
        {
            return new ReloadResult(false, "rejected by " + string.Join("; ", failures) + " (each rejecting component kept its state)", kept);
        }

        active.Replace(reloaded);
        string source = running.SourceFile ?? "embedded defaults";
        return new ReloadResult(true, kept.Count == 0 ? $"reloaded {source}" : $"reloaded {source}; restart needed for {string.Join(", ", kept)}", kept);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Reload ({Trigger}): {Message}")]
        public static partial void Reloaded(ILogger logger, string trigger, string message);

        [LoggerMessage(2, LogLevel.Error, "Reload ({Trigger}) rejected: {Message}")]
        public static partial void ReloadRejected(ILogger logger, string trigger, string message);

        [LoggerMessage(3, LogLevel.Warning, "Reload: {Key} changed but is restart-only; keeping the running value until restart")]
        public static partial void RestartOnly(ILogger logger, string key);
    }
}
