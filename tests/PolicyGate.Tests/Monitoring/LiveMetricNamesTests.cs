using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Monitoring;

/// <summary>
/// Every metric the shipped Grafana dashboard and alert rules read is exported by a live node after real traffic:
/// edge HTTP (passed and blocked by inspection), edge TCP, edge denials, egress, and the audit chain with checkpoints.
/// </summary>
public sealed class LiveMetricNamesTests
{
    [Fact]
    public async Task Every_metric_in_the_dashboard_and_alert_rules_is_exported_after_real_traffic()
    {
        HashSet<string> used = [];
        foreach (string expr in PromQlNames.DashboardExpressions(File.ReadAllText(RepoPaths.File("deploy/grafana/policygate-dashboard.json")))
            .Concat(PromQlNames.RuleExpressions(File.ReadAllText(RepoPaths.File("deploy/prometheus/policygate-rules.yml")))))
        {
            used.UnionWith(PromQlNames.MetricNames(expr));
        }

        used.ExceptWith(PromQlNames.Synthetic);
        Assert.True(used.Count >= 20, "too few metric names found: " + string.Join(", ", used));

        DemoOptions demo = new(TestNode.FreePort(), TestNode.FreePort());
        await using TestNode node = await TestNode.StartAsync(TestNode.CreateOptions(o =>
        {
            o.Demo = true;
            o.Egress.Listen = "127.0.0.1:" + TestNode.FreePort();
            o.Audit.CheckpointEvery = TimeSpan.FromSeconds(1);
        }), services => services.AddSingleton(demo));
        Assert.True(await node.Service<DemoHostedService>().Registered.WaitAsync(TimeSpan.FromSeconds(30)));
        await DriveTrafficAsync(node, demo);

        string exposition = "";
        HashSet<string> missing = [.. used];
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            exposition = await node.Metrics.GetStringAsync("/metrics");
            HashSet<string> exported = [.. exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny([' ', '{'])])];
            missing.RemoveWhere(exported.Contains);
            if (missing.Count > 0)
            {
                await Task.Delay(250);
            }
        }

        Assert.True(missing.Count == 0, "not exported by a live node: " + string.Join(", ", missing.Order(StringComparer.Ordinal)));
        Assert.Contains("policygate_inspection_verdicts_total{verdict=\"block\"", exposition, StringComparison.Ordinal);
        Assert.Contains("policygate_egress_decisions_total{layer=\"default\",action=\"deny\"}", exposition, StringComparison.Ordinal);
        Assert.Contains("policygate_edge_denials_total{reason=\"port_policy\"}", exposition, StringComparison.Ordinal);
    }

    private static async Task DriveTrafficAsync(TestNode node, DemoOptions demo)
    {
        IPEndPoint edge = node.EdgeEndPoint;
        using HttpClient client = EdgeHttpClient.Create(edge, $"demo-{demo.HttpPort}.localhost");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/pii")).StatusCode);

        // TCP through the edge, then a port the demo's policy does not list (denied, audited).
        byte[] line = Encoding.ASCII.GetBytes("ping\n");
        using (TcpClient tcp = new())
        {
            await tcp.ConnectAsync(edge);
            await using SslStream tls = new(tcp.GetStream(), false, static (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = $"demo-{demo.TcpPort}.localhost" });
            await tls.WriteAsync(line);
            byte[] back = new byte[line.Length];
            using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
            await tls.ReadExactlyAsync(back, cts.Token);
        }

        using (TcpClient denied = new())
        {
            await denied.ConnectAsync(edge);
            await using SslStream tls = new(denied.GetStream(), false, static (_, _, _, _) => true);
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "demo-22.localhost" });
                using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
                _ = await tls.ReadAsync(new byte[16], cts.Token);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                // the edge closes a denied connection
            }
        }

        // Egress: a strict default denies an unknown destination.
        using TcpClient proxy = new();
        await proxy.ConnectAsync(PolicyGate.Configuration.ListenAddress.Parse(node.Options.Egress.Listen));
        NetworkStream stream = proxy.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT blocked.example.test:443 HTTP/1.1\r\nHost: blocked.example.test:443\r\n\r\n"));
        byte[] answer = new byte[256];
        using CancellationTokenSource read = new(TimeSpan.FromSeconds(10));
        int n = await stream.ReadAsync(answer, read.Token);
        Assert.StartsWith("HTTP/1.1 403", Encoding.ASCII.GetString(answer, 0, n));
    }
}
