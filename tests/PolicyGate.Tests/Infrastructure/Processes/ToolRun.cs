namespace PolicyGate.Tests.Infrastructure.Processes;

/// <summary>Runs a command-line tool (curl, openssl, ...) to completion with a bounded wait; optional stdin text.</summary>
public static class ToolRun
{
    /// <summary>Exit code and combined output; the process is killed (and a TimeoutException thrown) past <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        await using ExternalProcess process = ExternalProcess.Start(tool, arguments, new ProcessWorkDir(tool), redirectInput: stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        int exit = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(20));
        await Task.Delay(20); // let the async output readers drain the last lines
        return (exit, process.Output);
    }
}
