using System.Diagnostics;

namespace PolicyGate.Tests.Egress;

/// <summary>Runs the real curl through the egress proxy (bounded by a timeout).</summary>
internal static class Curl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>curl -sS -k -x http://proxy [--proxy-user user:x] url; stdout ends with the -w write-out.</summary>
    public static async Task<Result> RunAsync(string proxy, string url, string? user, string writeOut = "\n%{http_connect} %{http_code}", params string[] extra)
    {
        ProcessStartInfo info = new("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-sS", "-k", "--max-time", "30", "-x", "http://" + proxy, "-w", writeOut, "--noproxy", "" })
        {
            info.ArgumentList.Add(arg);
        }

        if (user is not null)
        {
            info.ArgumentList.Add("--proxy-user");
            info.ArgumentList.Add(user + ":secret");
        }

        foreach (string arg in extra)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add(url);
        info.Environment.Remove("http_proxy");
        info.Environment.Remove("https_proxy");
        info.Environment.Remove("HTTPS_PROXY");
        info.Environment.Remove("NO_PROXY");
        info.Environment.Remove("no_proxy");
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(40));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
