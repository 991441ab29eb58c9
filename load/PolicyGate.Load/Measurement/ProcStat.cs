using System.Globalization;

namespace PolicyGate.Load.Measurement;

/// <summary>Reads CPU time of process trees and of the whole machine from /proc (Linux; zeros elsewhere).</summary>
public static class ProcStat
{
    /// <summary>USER_HZ: /proc reports CPU time in 1/100 s on every Linux architecture we run on.</summary>
    public const double TicksPerSecond = 100.0;

    /// <summary>The given processes and all their descendants that exist now.</summary>
    public static IReadOnlyList<int> ProcessTree(IEnumerable<int> roots)
    {
        HashSet<int> result = [.. roots.Where(p => p > 0 && Directory.Exists("/proc/" + p))];
        if (result.Count == 0)
        {
            return [];
        }

        Dictionary<int, int> parentOf = [];
        foreach (string dir in SafeEnumerate("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && TryReadStatFields(pid, out string[] fields))
            {
                parentOf[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        // Bounded: at most one pass per tree level, and no more levels than processes.
        for (int pass = 0; pass < parentOf.Count; pass++)
        {
            int before = result.Count;
            foreach ((int pid, int parent) in parentOf)
            {
                if (result.Contains(parent))
                {
                    result.Add(pid);
                }
            }

            if (result.Count == before)
            {
                break;
            }
        }

        return [.. result];
    }

    /// <summary>Sum of user + system CPU ticks of the processes (threads included).</summary>
    public static long CpuTicks(IEnumerable<int> pids)
    {
        long total = 0;
        foreach (int pid in pids)
        {
            // Fields after "pid (comm)": state=0, ppid=1, ... utime=11, stime=12.
            if (TryReadStatFields(pid, out string[] fields) && fields.Length > 12)
            {
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>Voluntary + involuntary context switches per live thread (key: thread id) of the processes.</summary>
    public static Dictionary<int, long> ContextSwitchesByThread(IEnumerable<int> pids)
    {
        Dictionary<int, long> byThread = [];
        foreach (int pid in pids)
        {
            foreach (string task in SafeEnumerate($"/proc/{pid}/task"))
            {
                if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out int tid))
                {
                    continue;
                }

                try
                {
                    long switches = 0;
                    foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }

                    byThread[tid] = switches;
                }
                catch (IOException)
                {
                    // The thread ended between listing and reading.
                }
            }
        }

        return byThread;
    }

    /// <summary>Switches between two samples: threads alive at the end, counted from their start value (0 for new ones); ended threads are lost, so this never goes negative.</summary>
    public static long ContextSwitchDelta(IReadOnlyDictionary<int, long> before, IReadOnlyDictionary<int, long> after) =>
        after.Sum(t => Math.Max(0, t.Value - before.GetValueOrDefault(t.Key)));

    /// <summary>Machine-wide (busy, total) ticks from the first line of /proc/stat.</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        try
        {
            string line = File.ReadLines("/proc/stat").First();
            long[] v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            long total = v.Take(8).Sum();
            long idle = v[3] + (v.Length > 4 ? v[4] : 0);
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    /// <summary>The 1-minute load average, or -1 when unknown.</summary>
    public static double LoadAverage1()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ')), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static bool TryReadStatFields(int pid, out string[] fields)
    {
        fields = [];
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            if (close < 0)
            {
                return false;
            }

            fields = stat[(close + 2)..].Split(' ');
            return fields.Length > 12;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<string> SafeEnumerate(string dir)
    {
        try
        {
            return Directory.GetDirectories(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
