using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

/// <summary>
/// The real `policygate serve` process over a config file it can re-read: settings are written as top-level dotted keys,
/// changed in the file, then reloaded by SIGHUP or POST /api/v1/reload exactly as an operator would.
/// </summary>
internal sealed class ReloadingNode : IAsyncDisposable
{
    public const string Api = "api";
    public const string Sighup = "sighup";

    private const int SIGHUP = 1;
    private readonly TempDirectory _dir;
    private readonly Dictionary<string, string> _settings;
    private readonly PolicygateProcess _process;

    private ReloadingNode(TempDirectory dir, Dictionary<string, string> settings, PolicygateProcess process, int edge, int admin)
    {
        _dir = dir;
        _settings = settings;
        _process = process;
        Edge = new IPEndPoint(IPAddress.Loopback, edge);
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{admin}") };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestNode.AdminToken);
    }

    public IPEndPoint Edge { get; }
    public HttpClient Admin { get; }
    public string Stdout => _process.Stdout;

    /// <summary>Starts a node whose file holds the base settings plus <paramref name="settings"/> (key → TOML value).</summary>
    public static async Task<ReloadingNode> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        TempDirectory dir = new();
        int edge = TestNode.FreePort();
        int admin = TestNode.FreePort();
        Dictionary<string, string> all = new(StringComparer.Ordinal)
        {
            ["node.data_dir"] = "\"data\"",
            ["edge.listen"] = $"[\"127.0.0.1:{edge}\"]",
            ["edge.timeouts.handshake"] = "\"3s\"",
            ["edge.timeouts.connect"] = "\"3s\"",
            ["edge.timeouts.pp_header"] = "\"3s\"",
            ["edge.timeouts.shutdown"] = "\"2s\"",
            ["admin.listen"] = $"\"127.0.0.1:{admin}\"",
            ["admin.token_file"] = "\"admin.token\"",
            ["metrics.listen"] = $"\"127.0.0.1:{TestNode.FreePort()}\"",
            // Absent directory: the built-in `default` tenant (block, text/* inspected).
            ["inspection.tenants_dir"] = "\"no-tenants\"",
        };
        foreach ((string key, string value) in settings)
        {
            all[key] = value;
        }

        dir.Write("admin.token", TestNode.AdminToken);
        dir.Write("pg.toml", Render(all));
        PolicygateProcess process = PolicygateProcess.Start(["serve", "--config", "pg.toml"], workingDirectory: dir.Path);
        ReloadingNode node = new(dir, all, process, edge, admin);
        if (!await process.WaitForOutputAsync("serving", TimeSpan.FromSeconds(60)))
        {
            string output = process.Stdout + process.Stderr;
            await node.DisposeAsync();
            throw new InvalidOperationException("policygate serve did not start: " + output);
        }

        return node;
    }

    /// <summary>Registers one instance on 127.0.0.1 whose policy allows exactly <paramref name="port"/> with <paramref name="protocol"/>.</summary>
    public Task RegisterAsync(string appId, int port, string protocol) => Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", new JsonObject
    {
        ["instance_id"] = appId + "_1",
        ["app_id"] = appId,
        ["address"] = "127.0.0.1",
        ["port_policy"] = new JsonObject
        {
            ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["protocol"] = protocol, ["pp"] = false }),
            ["restrict_mode"] = true,
        },
    }.ToJsonString());

    /// <summary>
    /// Writes <paramref name="changes"/> into the file and reloads through <paramref name="trigger"/>; asserts it was applied
    /// and returns the keys reported as restart-only (from the API answer, or from the SIGHUP log lines).
    /// </summary>
    public async Task<IReadOnlyList<string>> ReloadAsync(string trigger, IReadOnlyDictionary<string, string> changes)
    {
        foreach ((string key, string value) in changes)
        {
            _settings[key] = value;
        }

        _dir.Write("pg.toml", Render(_settings));
        if (trigger == Api)
        {
            JsonNode body = await Admin.OkAsync(HttpMethod.Post, "/api/v1/reload");
            Assert.Equal("reloaded", (string?)body["status"]);
            return body["restart_required"]!.AsArray().Select(k => (string)k!).ToArray();
        }

        const string Applied = "Reload (SIGHUP): reloaded";
        int before = Count(Stdout, Applied);
        _process.Signal(SIGHUP);
        Assert.True(await _process.WaitForOutputAsync(Applied, TimeSpan.FromSeconds(30), before + 1), Stdout);
        return changes.Keys.Where(k => Stdout.Contains($"{k} changed but is restart-only", StringComparison.Ordinal)).ToArray();
    }

    private static string Render(Dictionary<string, string> settings) =>
        string.Join('\n', settings.Select(static s => $"{s.Key} = {s.Value}")) + "\n";

    private static int Count(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
