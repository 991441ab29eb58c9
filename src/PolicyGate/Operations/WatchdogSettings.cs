using System.Globalization;

namespace PolicyGate.Operations;

/// <summary>systemd watchdog parameters: where to notify and how often (half of WatchdogSec, from $WATCHDOG_USEC).</summary>
public sealed record WatchdogSettings(string NotifySocket, TimeSpan Interval)
{
    /// <summary>From $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID; null when the watchdog is off or meant for another process.</summary>
    public static WatchdogSettings? FromEnvironment(Func<string, string?> environment, int processId)
    {
        string? socket = environment("NOTIFY_SOCKET");
        string? usec = environment("WATCHDOG_USEC");
        string? pid = environment("WATCHDOG_PID");
        if (string.IsNullOrEmpty(socket)
            || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds)
            || microseconds <= 0
            || (!string.IsNullOrEmpty(pid) && pid != processId.ToString(CultureInfo.InvariantCulture)))
        {
            return null;
        }

        return new WatchdogSettings(socket, TimeSpan.FromTicks(microseconds * 10 / 2));
    }
}
