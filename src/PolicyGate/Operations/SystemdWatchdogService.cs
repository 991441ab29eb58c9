namespace PolicyGate.Operations;

/// <summary>Sends WATCHDOG=1 every half WatchdogSec while the self-check passes; a failing node stays silent so systemd restarts it.</summary>
public sealed partial class SystemdWatchdogService(WatchdogSettings? settings, SelfCheck selfCheck, ILogger<SystemdWatchdogService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings is null)
        {
            return;
        }

        using SystemdNotifySocket socket = new(settings.NotifySocket);
        using PeriodicTimer timer = new(settings.Interval);
        do
        {
            string? failure = await selfCheck.RunAsync(stoppingToken);
            if (failure is null)
            {
                try
                {
                    socket.Send("WATCHDOG=1");
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    Log.NotifyFailed(logger, settings.NotifySocket, e.Message);
                }
            }
            else
            {
                Log.SelfCheckFailed(logger, failure);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.WatchdogSelfCheckFailed, LogLevel.Warning, "Watchdog: self-check failed, not sending WATCHDOG=1: {Reason}")]
        public static partial void SelfCheckFailed(ILogger logger, string reason);

        [LoggerMessage(LogEvents.WatchdogNotifyFailed, LogLevel.Warning, "Watchdog: cannot notify {Socket}: {Reason}")]
        public static partial void NotifyFailed(ILogger logger, string socket, string reason);
    }
}
