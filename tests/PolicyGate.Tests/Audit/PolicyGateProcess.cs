using System.Diagnostics;

namespace PolicyGate.Tests.Audit;

/// <summary>Runs the built `policygate` CLI (policygate.dll under dotnet) as a real process.</summary>
internal static class PolicyGateProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs policygate with <paramref name="args"/>; <paramref name="environment"/> values of null remove a variable.</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        ProcessStartInfo start = new(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(LocateDll());
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("POLICYGATE_AUDIT_KEY");
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("policygate " + string.Join(' ', args) + " did not exit within 60 s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string LocateDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "policygate.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "policygate.runtimeconfig.json")))
        {
            return beside;
        }
        throw new FileNotFoundException("policygate.dll (with its runtimeconfig) is not in the test output directory " + AppContext.BaseDirectory);
    }
}
