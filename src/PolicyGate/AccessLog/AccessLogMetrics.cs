using Prometheus;

namespace PolicyGate.AccessLog;

/// <summary>policygate_access_log_entries_total and policygate_access_log_dropped_total (queue full: the data path never waits).</summary>
public static class AccessLogMetrics
{
    public static readonly Counter Written = Metrics.CreateCounter(
        "policygate_access_log_entries_total", "Access-log lines written.");

    public static readonly Counter Dropped = Metrics.CreateCounter(
        "policygate_access_log_dropped_total", "Access-log lines dropped because the queue (access_log.queue_size) was full or the sink failed.");
}
