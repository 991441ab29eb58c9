using System.Diagnostics;
using System.Text;

namespace PolicyGate.Tests.Cli;

/// <summary>Runs the real built CLI (`dotnet policygate.dll ...`) as a child process and captures its output.</summary>
public sealed class PolicygateProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _lock = new();

    private PolicygateProcess(Process process)
    {
        _process = process;
    }

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "policygate.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Runs to completion (bounded by <paramref name="timeout"/>, default 60 s) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        await using PolicygateProcess process = Start(args, environment, workingDirectory);
        using CancellationTokenSource cts = new(timeout ?? TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(cts.Token);
        return (process._process.ExitCode, process.Stdout, process.Stderr);
    }

    /// <summary>Starts a long-running command (e.g. `serve`); dispose kills it.</summary>
    public static PolicygateProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        ProcessStartInfo info = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("POLICYGATE_ADMIN_TOKEN");
        info.Environment.Remove("POLICYGATE_AUDIT_KEY");
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Process process = new() { StartInfo = info };
        PolicygateProcess wrapper = new(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(wrapper._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(wrapper._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits until stdout contains <paramref name="text"/> (bounded); false on timeout or exit.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, int occurrences = 1)
    {
        Stopwatch watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (Count(Stdout, text) >= occurrences)
            {
                return true;
            }

            if (_process.HasExited)
            {
                await Task.Delay(200);
                return Count(Stdout, text) >= occurrences;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
    }

    private static int Count(string haystack, string needle)
    {
        int count = 0;
        for (int i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.Append(line).Append('\n');
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
