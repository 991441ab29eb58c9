using System.Diagnostics;
using PolicyGate.Core.Policy.Egress;
using Xunit.Abstractions;

namespace PolicyGate.Core.Tests.Policy.Egress;

public sealed class EgressDecisionLatencyTests(ITestOutputHelper output)
{
    [Fact]
    public void Decision_with_10000_rules_stays_in_microseconds()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        List<EgressRule> rules = [];
        for (int i = 0; i < 10_000; i++)
        {
            string destination = (i % 4) switch
            {
                0 => $"host{i}.example.com",
                1 => $"**.svc{i}.example.net",
                2 => $"*.api{i}.example.org",
                _ => $"10.{i / 256 % 256}.{i % 256}.0/24",
            };
            rules.Add(new EgressRule
            {
                Id = "r" + i, Container = i % 3 == 0 ? "*" : $"app-{i % 50}", Destination = destination, Port = i % 2 == 0 ? "443" : "*",
                Action = i % 7 == 0 ? EgressAction.Deny : EgressAction.Allow,
            });
        }

        EgressRuleSet set = new(rules, [], new Dictionary<string, EgressMode>(), EgressMode.Strict, builtinLoopback: true);
        EgressCaller caller = new("inst-1", "app-7");
        string[] hosts = ["host4008.example.com", "a.b.svc5001.example.net", "x.api9002.example.org", "nomatch.example.com", "deep.a.b.c.d.example.com", "10.3.7.9"];
        const int Iterations = 50_000;
        Assert.Equal("r4008", set.Decide(caller, hosts[0], null, 443, now).RuleId);
        foreach (string h in hosts)
        {
            Stopwatch one = Stopwatch.StartNew();
            for (int i = 0; i < 2000; i++)
            {
                set.Decide(caller, h, char.IsAsciiDigit(h[0]) ? System.Net.IPAddress.Parse(h) : null, 443, now);
            }

            output.WriteLine($"{h}: {one.Elapsed.TotalMicroseconds / 2000:F2} µs");
        }

        Stopwatch sw = Stopwatch.StartNew();
        for (int i = 0; i < Iterations; i++)
        {
            string host = hosts[i % hosts.Length];
            set.Decide(caller, host, char.IsAsciiDigit(host[0]) ? System.Net.IPAddress.Parse(host) : null, 443, now);
        }

        double micros = sw.Elapsed.TotalMicroseconds / Iterations;
        output.WriteLine($"egress decision with 10,000 rules: {micros:F2} µs/decision (mean over {Iterations})");
        Assert.True(micros < 100, $"decision took {micros:F1} µs");
    }
}
