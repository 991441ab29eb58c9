using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Configuration;
using PolicyGate.Operations;
using PolicyGate.Runtime;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

/// <summary>POST reload and SIGHUP re-read the file; a bad file keeps everything; restart-only keys are kept with a warning.</summary>
public sealed class ReloadTests : IDisposable
{
    private const string ReloadPrefix = "/reload-test";
    private readonly TempDirectory _dir = new();
    private readonly int _admin = TestNode.FreePort();
    private readonly int _metrics = TestNode.FreePort();
    private readonly int _edge = TestNode.FreePort();

    private string ConfigText(string idle = "10m", int? adminPort = null, string extra = "") => $"""
        [node]
        data_dir = "data"
        [edge]
        listen = ["127.0.0.1:{_edge}"]
        [edge.timeouts]
        idle = "{idle}"
        shutdown = "2s"
        [admin]
        listen = "127.0.0.1:{adminPort ?? _admin}"
        token_file = "admin.token"
        [metrics]
        listen = "127.0.0.1:{_metrics}"
        [inspection]
        tenants_dir = "no-tenants"
        {extra}
        """;

    /// <summary>Builds a node from the file and maps the reload endpoint on the admin listener under a test prefix
    /// (the production route is added to the authenticated group by AdminRegistration).</summary>
    private async Task<(WebApplication App, HttpClient Admin, RecordingReloadable Probe)> StartAsync()
    {
        _dir.Write("admin.token", TestNode.AdminToken);
        PolicyGateOptions options = ConfigLoader.Load(_dir.Write("pg.toml", ConfigText()));
        RecordingReloadable probe = new();
        WebApplication app = AppHost.Build(options, services => services.AddSingleton<IReloadable>(probe));
        OperationsRegistration.MapReloadAdmin(app.MapGroup(ReloadPrefix));
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_admin}") }, probe);
    }

    [Fact]
    public async Task A_bad_file_answers_400_and_keeps_the_running_config()
    {
        (WebApplication app, HttpClient admin, RecordingReloadable probe) = await StartAsync();
        await using WebApplication _ = app;
        using HttpClient __ = admin;
        RuntimeConfigProvider runtime = app.Services.GetRequiredService<RuntimeConfigProvider>();
        RuntimeConfig before = runtime.Current;

        _dir.Write("pg.toml", ConfigText(idle: "ten minutes"));
        HttpResponseMessage response = await admin.PostAsync(ReloadPrefix + "/reload", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string error = body.RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith(Path.Combine(_dir.Path, "pg.toml") + ":6: edge.timeouts.idle: 'ten minutes' is not a duration", error);
        Assert.EndsWith("(running configuration kept)", error);
        Assert.Same(before, runtime.Current);
        Assert.Empty(probe.Received);
        Assert.Equal(TimeSpan.FromMinutes(10), runtime.Current.Edge.Timeouts.Idle);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_good_file_reaches_every_reloadable_and_restart_only_keys_are_kept()
    {
        (WebApplication app, HttpClient admin, RecordingReloadable probe) = await StartAsync();
        await using WebApplication _ = app;
        using HttpClient __ = admin;
        RuntimeConfigProvider runtime = app.Services.GetRequiredService<RuntimeConfigProvider>();
        Microsoft.Extensions.Primitives.IChangeToken changed = runtime.ChangeToken;

        _dir.Write("pg.toml", ConfigText(idle: "90s", adminPort: TestNode.FreePort()));
        HttpResponseMessage response = await admin.PostAsync(ReloadPrefix + "/reload", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("reloaded", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(["admin.listen"], body.RootElement.GetProperty("restart_required").EnumerateArray().Select(e => e.GetString()));

        RuntimeConfig received = Assert.Single(probe.Received);
        Assert.Equal(TimeSpan.FromSeconds(90), received.Edge.Timeouts.Idle);
        Assert.Same(received, runtime.Current);
        Assert.True(changed.HasChanged);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_component_that_rejects_the_reload_makes_it_fail_without_switching_the_active_config()
    {
        (WebApplication app, HttpClient admin, RecordingReloadable probe) = await StartAsync();
        await using WebApplication _ = app;
        using HttpClient __ = admin;
        RuntimeConfig before = app.Services.GetRequiredService<RuntimeConfigProvider>().Current;
        probe.RejectWith = "tenant acme.toml: line 3: bad mode";

        _dir.Write("pg.toml", ConfigText(idle: "1m"));
        HttpResponseMessage response = await admin.PostAsync(ReloadPrefix + "/reload", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("RecordingReloadable: tenant acme.toml: line 3: bad mode", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Same(before, app.Services.GetRequiredService<RuntimeConfigProvider>().Current);
        await app.StopAsync();
    }

    [Fact]
    public async Task Sighup_reloads_the_real_process_and_a_bad_file_keeps_it_serving()
    {
        const int SIGHUP = 1;
        const int SIGTERM = 15;
        _dir.Write("admin.token", TestNode.AdminToken);
        _dir.Write("pg.toml", ConfigText());
        await using PolicygateProcess serve = PolicygateProcess.Start(["serve", "--config", "pg.toml"], workingDirectory: _dir.Path);
        Assert.True(await serve.WaitForOutputAsync("serving", TimeSpan.FromSeconds(60)), serve.Stdout + serve.Stderr);
        using HttpClient metrics = new() { BaseAddress = new Uri($"http://127.0.0.1:{_metrics}") };

        _dir.Write("pg.toml", ConfigText(idle: "soon"));
        serve.Signal(SIGHUP);
        Assert.True(await serve.WaitForOutputAsync($"Reload (SIGHUP) rejected: {Path.Combine(_dir.Path, "pg.toml")}:6: edge.timeouts.idle: 'soon' is not a duration", TimeSpan.FromSeconds(30)), serve.Stdout);
        Assert.False(serve.HasExited);
        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/healthz")).StatusCode);

        _dir.Write("pg.toml", ConfigText(idle: "5m", adminPort: TestNode.FreePort()));
        serve.Signal(SIGHUP);
        Assert.True(await serve.WaitForOutputAsync("Reload (SIGHUP): reloaded", TimeSpan.FromSeconds(30)), serve.Stdout);
        Assert.Contains("admin.listen changed but is restart-only", serve.Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/healthz")).StatusCode);

        serve.Signal(SIGTERM);
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _dir.Dispose();
}
