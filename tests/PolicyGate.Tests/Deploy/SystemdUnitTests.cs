using System.Globalization;
using System.Text.RegularExpressions;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Deploy;

/// <summary>deploy/systemd/policygate.service scores ≤ 2.0 in `systemd-analyze security --offline` (systemd is installed by scripts/test.sh).</summary>
public sealed partial class SystemdUnitTests
{
    [Fact]
    public async Task Unit_exposure_score_is_at_most_two()
    {
        using TempDirectory dir = new();
        string unit = Path.Combine(dir.Path, "policygate.service");
        File.Copy(RepoPaths.File("deploy/systemd/policygate.service"), unit);
        (int exit, string output) = await ToolRun.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", unit], timeout: TimeSpan.FromSeconds(30));
        Match score = Score().Match(output);
        Assert.True(score.Success, $"exit {exit}: {output}");
        double value = double.Parse(score.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(value <= 2.0, $"exposure {value} > 2.0:\n{output}");

        string text = File.ReadAllText(unit);
        foreach (string directive in new[] { "SystemCallFilter=", "SystemCallArchitectures=native", "RestrictNamespaces=true", "ProtectClock=true",
                     "ProtectHostname=true", "ProtectKernelLogs=true", "ProtectProc=invisible", "UMask=0077", "Type=notify", "WatchdogSec=" })
        {
            Assert.Contains(directive, text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex Score();
}
