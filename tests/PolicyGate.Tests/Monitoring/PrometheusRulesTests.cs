using System.Text.RegularExpressions;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Monitoring;

/// <summary>The shipped alert rules, checked and unit-tested by the real promtool (Debian `prometheus`, installed by scripts/test.sh).</summary>
public sealed class PrometheusRulesTests
{
    private static readonly string s_rules = RepoPaths.File("deploy/prometheus/policygate-rules.yml");
    private static readonly string s_ruleTests = RepoPaths.File("deploy/prometheus/policygate-rules.test.yml");

    [Fact]
    public async Task Promtool_check_rules_accepts_every_rule()
    {
        int alerts = AlertNames().Count;
        Assert.True(alerts >= 15, $"only {alerts} alerts found in {s_rules}");
        (int exit, string output) = await ToolRun.RunAsync(ToolPath.Find("promtool"), ["check", "rules", s_rules]);
        Assert.True(exit == 0, output);
        Assert.Contains($"SUCCESS: {alerts} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_pass_and_make_every_alert_fire()
    {
        (int exit, string output) = await ToolRun.RunAsync(ToolPath.Find("promtool"), ["test", "rules", s_ruleTests], timeout: TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);

        // An alert counts as tested only where a case expects it to fire (exp_alerts with labels).
        HashSet<string> fired = [.. Regex.Matches(File.ReadAllText(s_ruleTests), @"alertname: (\w+)\s+exp_alerts:\s+- exp_labels:").Select(m => m.Groups[1].Value)];
        Assert.Empty(AlertNames().Except(fired));
    }

    [Fact]
    public void ServiceMonitor_gives_the_job_label_the_rules_select()
    {
        // PolicyGateDown selects up{job="policygate"}; the Operator takes job from the Service label named by jobLabel.
        string monitor = File.ReadAllText(RepoPaths.File("deploy/kubernetes/servicemonitor.yaml"));
        string manifests = File.ReadAllText(RepoPaths.File("deploy/kubernetes/policygate.yaml"));
        string jobLabel = Regex.Match(monitor, @"(?m)^\s*jobLabel:\s*(\S+)\s*$").Groups[1].Value;
        Assert.Equal("app.kubernetes.io/name", jobLabel);
        Match service = Regex.Match(manifests, @"kind: Service\s+metadata:\s+name: policygate-metrics\s+namespace: \S+\s+labels:\s+(?<labels>(?:\s+[\w./-]+: \S+)+)");
        Assert.True(service.Success, "Service policygate-metrics with labels not found in deploy/kubernetes/policygate.yaml");
        Assert.Matches($@"{Regex.Escape(jobLabel)}: policygate\b", service.Groups["labels"].Value);
        Assert.Contains("up{job=\"policygate\"}", File.ReadAllText(s_rules), StringComparison.Ordinal);
    }

    private static List<string> AlertNames() =>
        [.. Regex.Matches(File.ReadAllText(s_rules), @"(?m)^\s*- alert: (\w+)\s*$").Select(m => m.Groups[1].Value)];
}
