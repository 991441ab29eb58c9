using System.Diagnostics;

namespace PolicyGate.Acme;

/// <summary>
/// Runs the operator's script for DNS-01: `SCRIPT present|cleanup RECORD_NAME VALUE DOMAIN`, also in env
/// POLICYGATE_ACME_ACTION, _RECORD, _VALUE, _DOMAIN. Exit 0 = done; anything else fails the order with the script's last output line.
/// </summary>
public sealed class ExecDnsProvider(string command, TimeSpan timeout) : IDnsChallengeProvider
{
    public const string Present = "present";
    public const string Cleanup = "cleanup";

    public Task PresentAsync(string domain, string recordName, string value, CancellationToken cancellationToken) =>
        RunAsync(Present, domain, recordName, value, cancellationToken);

    public Task CleanupAsync(string domain, string recordName, string value, CancellationToken cancellationToken) =>
        RunAsync(Cleanup, domain, recordName, value, cancellationToken);

    private async Task RunAsync(string action, string domain, string recordName, string value, CancellationToken cancellationToken)
    {
        ProcessStartInfo info = new(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(action);
        info.ArgumentList.Add(recordName);
        info.ArgumentList.Add(value);
        info.ArgumentList.Add(domain);
        info.Environment["POLICYGATE_ACME_ACTION"] = action;
        info.Environment["POLICYGATE_ACME_RECORD"] = recordName;
        info.Environment["POLICYGATE_ACME_VALUE"] = value;
        info.Environment["POLICYGATE_ACME_DOMAIN"] = domain;

        using Process process = new() { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AcmeException($"edge.acme.dns_exec_command {command}: cannot run: {e.Message}");
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw cancellationToken.IsCancellationRequested
                ? new OperationCanceledException(cancellationToken)
                : new AcmeException($"edge.acme.dns_exec_command {command} {action} {recordName}: no exit within {timeout.TotalSeconds:0}s (killed)");
        }

        if (process.ExitCode != 0)
        {
            string output = (await stderr).Trim() is { Length: > 0 } err ? err : (await stdout).Trim();
            string last = output.Split('\n').LastOrDefault()?.Trim() ?? "";
            throw new AcmeException($"edge.acme.dns_exec_command {command} {action} {recordName}: exit {process.ExitCode}{(last.Length > 0 ? ": " + last : "")}");
        }
    }
}
