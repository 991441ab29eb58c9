using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using PolicyGate.Configuration;

namespace PolicyGate.Tests.Infrastructure;

/// <summary>A real PolicyGate node on loopback with free ports, a temp data dir and a known admin token.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789abcdef";

    private TestNode(PolicyGateOptions options, WebApplication app)
    {
        Options = options;
        App = app;
        Admin = new HttpClient { BaseAddress = new Uri("http://" + options.Admin.Listen) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Metrics = new HttpClient { BaseAddress = new Uri("http://" + options.Metrics.Listen) };
    }

    public PolicyGateOptions Options { get; }
    public WebApplication App { get; }
    /// <summary>Admin API client with the bearer token set.</summary>
    public HttpClient Admin { get; }
    /// <summary>Client for /metrics, /healthz, /readyz.</summary>
    public HttpClient Metrics { get; }
    public string DataDir => Options.DataDirectory;
    public IPEndPoint EdgeEndPoint => ListenAddress.Parse(Options.Edge.Listen[0]);

    public T Service<T>() where T : notnull => (T)App.Services.GetService(typeof(T))!;

    /// <summary>Creates options for a fresh node in a new temp dir; adjust them in <paramref name="configure"/>.</summary>
    public static PolicyGateOptions CreateOptions(Action<PolicyGateOptions>? configure = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "pg-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "admin.token"), AdminToken + "\n");
        PolicyGateOptions options = new() { BaseDirectory = dir };
        options.Node.Id = "test-node";
        options.Node.DataDir = Path.Combine(dir, "data");
        options.Admin.TokenFile = Path.Combine(dir, "admin.token");
        options.Admin.Listen = "127.0.0.1:" + FreePort();
        options.Metrics.Listen = "127.0.0.1:" + FreePort();
        options.Edge.Listen = ["127.0.0.1:" + FreePort()];
        options.Inspection.TenantsDir = Path.Combine(dir, "tenants-absent");
        options.Audit.CheckpointEvery = TimeSpan.FromSeconds(30);
        configure?.Invoke(options);
        return options;
    }

    public static async Task<TestNode> StartAsync(Action<PolicyGateOptions>? configure = null)
    {
        PolicyGateOptions options = CreateOptions(configure);
        return await StartAsync(options);
    }

    /// <summary>
    /// Starts a node; <paramref name="configureServices"/> may add test-only services (say why in the test).
    /// A port picked by <see cref="FreePort"/> can be taken by a parallel test before Kestrel binds it: then the admin,
    /// metrics and edge listeners get fresh ports and the start is retried (bounded).
    /// </summary>
    public static async Task<TestNode> StartAsync(PolicyGateOptions options, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            WebApplication app = AppHost.Build(options, configureServices);
            try
            {
                await app.StartAsync();
                return new TestNode(options, app);
            }
            catch (IOException e) when (attempt < 4 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await app.DisposeAsync();
                options.Admin.Listen = "127.0.0.1:" + FreePort();
                options.Metrics.Listen = "127.0.0.1:" + FreePort();
                options.Edge.Listen = [.. options.Edge.Listen.Select(static l => l.StartsWith("127.0.0.1:", StringComparison.Ordinal) ? "127.0.0.1:" + FreePort() : l)];
            }
        }
    }

    /// <summary>A TCP port free right now on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using Socket s = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Metrics.Dispose();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
        try
        {
            await App.StopAsync(cts.Token);
        }
        finally
        {
            await App.DisposeAsync();
            try
            {
                Directory.Delete(Options.BaseDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
