using System.Diagnostics;

namespace PolicyGate.Load.Measurement;

/// <summary>CPU counters taken at one instant: proxy tree, backend tree, this client, the machine.</summary>
public sealed record CpuSnapshot(long ProxyTicks, IReadOnlyDictionary<int, long> ProxyContextSwitches, long BackendTicks, TimeSpan ClientCpu, long MachineBusy, long MachineTotal, long Timestamp)
{
    public static CpuSnapshot Take(IReadOnlyList<int> proxyPids, IReadOnlyList<int> backendPids)
    {
        (long busy, long total) = ProcStat.MachineTicks();
        using Process self = Process.GetCurrentProcess();
        return new CpuSnapshot(
            ProcStat.CpuTicks(proxyPids),
            ProcStat.ContextSwitchesByThread(proxyPids),
            ProcStat.CpuTicks(backendPids),
            self.TotalProcessorTime,
            busy,
            total,
            Stopwatch.GetTimestamp());
    }
}
