using HdrHistogram;
using System.Diagnostics;
using PolicyGate.Load.Measurement;

namespace PolicyGate.Load.Running;

/// <summary>Turns the counters and CPU snapshots of a run into a <see cref="ScenarioResult"/>.</summary>
internal static class ResultBuilder
{
    public static ScenarioResult Build(ScenarioSettings settings, LoadStats stats, CpuSnapshot before, CpuSnapshot after, DateTime startedUtc, double loadAverage, bool hasProxy, bool hasBackend)
    {
        double seconds = Math.Max(1e-6, (after.Timestamp - before.Timestamp) / (double)Stopwatch.Frequency);
        long requests = stats.Requests;
        double megabytes = stats.Bytes / 1_000_000.0;
        double perRequest = Math.Max(1, requests);
        double proxyCpuUs = (after.ProxyTicks - before.ProxyTicks) * 1_000_000 / ProcStat.TicksPerSecond;
        double backendCpuUs = (after.BackendTicks - before.BackendTicks) * 1_000_000 / ProcStat.TicksPerSecond;
        double clientCpuUs = (after.ClientCpu - before.ClientCpu).TotalMicroseconds;

        long machineTotal = after.MachineTotal - before.MachineTotal;
        double machineBusy = machineTotal > 0 ? (after.MachineBusy - before.MachineBusy) / (double)machineTotal : 0;
        double ours = machineTotal > 0
            ? ((after.ProxyTicks - before.ProxyTicks) + (after.BackendTicks - before.BackendTicks) + clientCpuUs * ProcStat.TicksPerSecond / 1_000_000) / machineTotal
            : 0;
        double other = Math.Max(0, machineBusy - ours);
        var latency = stats.Latency;
        bool any = latency.TotalCount > 0;

        return new ScenarioResult
        {
            Scenario = settings.Scenario,
            Target = settings.Target,
            Round = settings.Round,
            Metric = settings.Metric,
            Client = settings.Client,
            Simulation = settings.Simulation.Describe(),
            StartedUtc = startedUtc,
            DurationSeconds = Math.Round(seconds, 3),
            Requests = requests,
            Errors = stats.Failures,
            ErrorsByKind = new SortedDictionary<string, long>(stats.ErrorsByKind.ToDictionary(), StringComparer.Ordinal),
            Bytes = stats.Bytes,
            RequestsPerSecond = Math.Round(requests / seconds, 1),
            MegabytesPerSecond = Math.Round(megabytes / seconds, 2),
            LatencyMeanMs = any ? Ms(latency.GetMean()) : 0,
            LatencyP50Ms = any ? Ms(latency.GetValueAtPercentile(50)) : 0,
            LatencyP75Ms = any ? Ms(latency.GetValueAtPercentile(75)) : 0,
            LatencyP95Ms = any ? Ms(latency.GetValueAtPercentile(95)) : 0,
            LatencyP99Ms = any ? Ms(latency.GetValueAtPercentile(99)) : 0,
            LatencyMaxMs = any ? Ms(latency.GetMaxValue()) : 0,
            ProxyCpuMs = hasProxy ? Math.Round(proxyCpuUs / 1000, 1) : null,
            ProxyCpuUsPerRequest = hasProxy ? Math.Round(proxyCpuUs / perRequest, 2) : null,
            ProxyCpuUsPerMB = hasProxy && megabytes > 0 ? Math.Round(proxyCpuUs / megabytes, 1) : null,
            ProxyContextSwitchesPerRequest = hasProxy ? Math.Round(ProcStat.ContextSwitchDelta(before.ProxyContextSwitches, after.ProxyContextSwitches) / perRequest, 3) : null,
            BackendCpuUsPerRequest = hasBackend ? Math.Round(backendCpuUs / perRequest, 2) : null,
            ClientCpuUsPerRequest = Math.Round(clientCpuUs / perRequest, 2),
            MachineBusy = Math.Round(machineBusy, 3),
            OtherBusy = Math.Round(other, 3),
            LoadAverage1 = loadAverage,
            Disturbed = other > settings.DisturbedThreshold,
        };
    }

    private static double Ms(double microseconds) => Math.Round(microseconds / 1000.0, 3);
}
