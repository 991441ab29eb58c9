using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Cluster;

/// <summary>
/// One `policygate serve` process of a cluster (its own config, data dir and loopback ports), restartable with the same data dir.
/// Leader: cluster.listen is mTLS with the cluster CA. Follower: egress proxy on, builtin loopback rules off, so only policy allows.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private PolicygateProcess? _process;

    private ClusterNode(string id, string role)
    {
        Id = id;
        Role = role;
        _dir.Write("admin.token", TestNode.AdminToken + "\n");
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AdminPort}/api/v1/"), Timeout = TimeSpan.FromSeconds(20) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestNode.AdminToken);
        Metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public string Id { get; }
    public string Role { get; }
    public int AdminPort { get; } = TestNode.FreePort();
    public int MetricsPort { get; } = TestNode.FreePort();
    public int EdgePort { get; } = TestNode.FreePort();
    public int EgressPort { get; } = TestNode.FreePort();
    public int ClusterPort { get; } = TestNode.FreePort();
    public HttpClient Admin { get; }
    public HttpClient Metrics { get; }
    public string Dir => _dir.Path;
    public string AuditDir => Path.Combine(Dir, "data", "audit");
    public string BundleDir => Path.Combine(Dir, "data", "bundles");
    public string Stdout => _process?.Stdout ?? "";

    public static ClusterNode Leader(ClusterPki pki, string trustedKey) => Create("leader-1", "leader", pki, "leader", trustedKey, null);

    public static ClusterNode Follower(ClusterPki pki, string trustedKey, int leaderPort) =>
        Create("follower-1", "follower", pki, "follower", trustedKey, leaderPort);

    private static ClusterNode Create(string id, string role, ClusterPki pki, string certName, string trustedKey, int? leaderPort)
    {
        ClusterNode node = new(id, role);
        string cluster = role == "leader"
            ? $"listen = \"127.0.0.1:{node.ClusterPort}\""
            : $"leader_url = \"https://127.0.0.1:{leaderPort}\"\npoll_interval = \"500ms\"";
        node._dir.Write("pg.toml", $"""
            [node]
            id = "{id}"
            data_dir = "data"
            [edge]
            listen = ["127.0.0.1:{node.EdgePort}"]
            [edge.timeouts]
            shutdown = "1s"
            [admin]
            listen = "127.0.0.1:{node.AdminPort}"
            token_file = "admin.token"
            [metrics]
            listen = "127.0.0.1:{node.MetricsPort}"
            [inspection]
            tenants_dir = "no-tenants"
            [egress]
            listen = "127.0.0.1:{node.EgressPort}"
            builtin_loopback = false
            [cluster]
            role = "{role}"
            {cluster}
            cert_file = "{pki.Cert(certName)}"
            key_file = "{pki.Key(certName)}"
            ca_file = "{pki.CaFile}"
            trusted_keys = ["{trustedKey}"]
            labels = ["zone=eu"]
            """);
        return node;
    }

    /// <summary>Starts the process and waits (bounded) until /healthz answers.</summary>
    public async Task StartAsync()
    {
        _process = PolicygateProcess.Start(["serve", "--config", "pg.toml"], workingDirectory: Dir);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(_process.HasExited, $"{Id} exited: {_process.Stdout}{_process.Stderr}");
            try
            {
                if ((await Metrics.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{Id} did not start: {_process.Stdout}{_process.Stderr}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the node gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process!.Signal(9);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await _process.DisposeAsync();
        _process = null;
    }

    public async Task<JsonObject> StatusAsync() => (JsonNode.Parse(await Admin.GetStringAsync("policy/status")) as JsonObject)!;

    /// <summary>Waits (bounded) until the status satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<JsonObject> WaitForStatusAsync(Func<JsonObject, bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            JsonObject status = await StatusAsync();
            if (condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{Id}: {what} not reached; status {status.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public async Task<double> MetricAsync(string series)
    {
        string text = await Metrics.GetStringAsync("metrics");
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public List<JsonObject> Audit(string kind) => AuditFiles.ReadAll(AuditDir).FindAll(e => (string?)e["kind"] == kind);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Metrics.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _dir.Dispose();
    }
}
