using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store.Fleet;

/// <summary>
/// One `policygate serve` process of a fleet sharing a PostgreSQL store (DESIGN §12): its own data dir, audit chain and
/// free loopback ports (edge, admin, metrics, egress); the connection string comes from POLICYGATE_STORE_CONNECTION.
/// </summary>
internal sealed class FleetNode : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly PolicygateProcess _process;

    private FleetNode(string name, TempDirectory dir, PolicygateProcess process, int edge, int admin, int metrics, int egress)
    {
        Name = name;
        _dir = dir;
        _process = process;
        Edge = new IPEndPoint(IPAddress.Loopback, edge);
        Egress = new IPEndPoint(IPAddress.Loopback, egress);
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{admin}"), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestNode.AdminToken);
        Metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metrics}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }
    public IPEndPoint Edge { get; }
    public IPEndPoint Egress { get; }
    public HttpClient Admin { get; }
    public HttpClient Metrics { get; }
    public string AuditDir => Path.Combine(_dir.Path, "data", "audit");
    public string Output => _process.Stdout + _process.Stderr;

    /// <summary>Starts a node and waits (bounded) until /readyz answers 200.</summary>
    public static async Task<FleetNode> StartAsync(string name, string connectionString)
    {
        TempDirectory dir = new();
        int edge = TestNode.FreePort(), admin = TestNode.FreePort(), metrics = TestNode.FreePort(), egress = TestNode.FreePort();
        dir.Write("policygate.toml", $"""
            [node]
            id = "{name}"
            mode = "dev"
            data_dir = "data"
            [edge]
            listen = ["127.0.0.1:{edge}"]
            [edge.timeouts]
            handshake = "3s"
            connect = "3s"
            shutdown = "2s"
            [admin]
            listen = "127.0.0.1:{admin}"
            [metrics]
            listen = "127.0.0.1:{metrics}"
            [egress]
            listen = "127.0.0.1:{egress}"
            builtin_loopback = false
            [store]
            kind = "postgres"
            [inspection]
            tenants_dir = "no-tenants"
            """);
        Dictionary<string, string> environment = new()
        {
            ["POLICYGATE_ADMIN_TOKEN"] = TestNode.AdminToken,
            ["POLICYGATE_STORE_CONNECTION"] = connectionString,
        };
        PolicygateProcess process = PolicygateProcess.Start(["serve", "--config", "policygate.toml"], environment, dir.Path);
        FleetNode node = new(name, dir, process, edge, admin, metrics, egress);
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.False(process.HasExited, $"{name} exited: {node.Output}");
            try
            {
                if ((await node.Metrics.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{name} not ready within 90 s: {node.Output}");
            await Task.Delay(100);
        }
    }

    public Task<JsonNode> OkAsync(HttpMethod method, string path, string? body = null) => Admin.OkAsync(method, path, body);

    public Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null) => Admin.SendAsync(method, path, body);

    /// <summary>GET /readyz: status code and body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> ReadyAsync()
    {
        using HttpResponseMessage response = await Metrics.GetAsync("/readyz");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The value of an unlabelled metric on /metrics, or null when absent.</summary>
    public async Task<double?> MetricAsync(string name)
    {
        string text = await Metrics.GetStringAsync("/metrics");
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Metrics.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Signal(15);
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (OperationCanceledException)
        {
            // Still running after 15 s: the dispose below kills it.
        }
        finally
        {
            await _process.DisposeAsync();
            _dir.Dispose();
        }
    }
}
