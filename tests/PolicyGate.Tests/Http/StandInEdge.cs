using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PolicyGate.AccessLog;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Edge;
using PolicyGate.Http;
using PolicyGate.Inspection;
using PolicyGate.Runtime;
using PolicyGate.Store;
using PolicyGate.Tests.Store;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Http;

/// <summary>
/// STAND-IN for the edge listener, so forwarding is tested in isolation (the real edge is covered by Edge/* and Cli/DemoEndToEndTests): a Kestrel app on 127.0.0.1 (TLS with a self-signed cert, or plain)
/// whose connection middleware sets <see cref="EdgeConnectionFeature"/> from a fixed <see cref="EdgeRoute"/> and whose request
/// pipeline is exactly <see cref="HttpPipelineRegistration.BuildEdgePipeline"/>. End-to-end tests through the real edge are the lead's.
/// </summary>
internal sealed class StandInEdge : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _baseDirectory;
    private readonly RuntimeConfigProvider _runtime;
    private int _connectionCounter;

    private StandInEdge(WebApplication app, RuntimeConfigProvider runtime, string baseDirectory, int port, bool tls, TestInstanceDirectory directory, RecordingAuditLog audit)
    {
        _app = app;
        _runtime = runtime;
        _baseDirectory = baseDirectory;
        Port = port;
        Tls = tls;
        Directory = directory;
        Audit = audit;
    }

    public int Port { get; }
    public bool Tls { get; }
    public TestInstanceDirectory Directory { get; }
    public RecordingAuditLog Audit { get; }

    public static async Task<StandInEdge> StartAsync(EdgeRoute route, bool tls = true, Action<PolicyGateOptions>? configure = null)
    {
        // Forwarding is under test, not inspection: the default tenant has inspection off (DESIGN §7 tenant file).
        string baseDirectory = Path.Combine(Path.GetTempPath(), "pg-http-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(baseDirectory, "tenants"));
        File.WriteAllText(Path.Combine(baseDirectory, "tenants", "default.toml"), "[inspection]\nmode = \"off\"\n");
        PolicyGateOptions options = new() { BaseDirectory = baseDirectory };
        options.Inspection.TenantsDir = "tenants";
        configure?.Invoke(options);
        RuntimeConfigProvider runtime = new(RuntimeConfig.Compile(options));
        int port = TestNode.FreePort();
        TestInstanceDirectory directory = new();
        directory.Set(route.Instance);
        RecordingAuditLog audit = new();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IInstanceDirectory>(directory);
        builder.Services.AddSingleton<IAuditLog>(audit);
        builder.Services.AddInspection(options);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddAccessLog();
        builder.Services.AddHttpPipeline();
        StandInEdge? self = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, lo =>
            {
                lo.Protocols = route.Http2 && !tls ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2;
                lo.Use(next => connection =>
                {
                    connection.Features.Set(self!.DecisionFor(connection, route));
                    return next(connection);
                });
                if (tls)
                {
                    lo.UseHttps(TestCertificate.Instance);
                }
            });
        });
        WebApplication app = builder.Build();
        self = new StandInEdge(app, runtime, baseDirectory, port, tls, directory, audit);
        HttpPipelineRegistration.BuildEdgePipeline(app);
        await app.StartAsync();
        return self;
    }

    /// <summary>A client whose every connection goes to this edge (the URI's host is only SNI/Host); <paramref name="onConnected"/> sees each connection's local end point.</summary>
    public HttpClient CreateClient(Version? version = null, string host = "myapp-8080.localhost", Action<IPEndPoint>? onConnected = null, int maxConnections = int.MaxValue)
    {
        SocketsHttpHandler handler = new()
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = maxConnections,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            ConnectCallback = async (context, token) =>
            {
                Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), token);
                onConnected?.Invoke((IPEndPoint)socket.LocalEndPoint!);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri($"{(Tls ? "https" : "http")}://{host}:{Port}/"),
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public async ValueTask DisposeAsync()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_baseDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private EdgeConnectionFeature DecisionFor(ConnectionContext connection, EdgeRoute route) => new()
    {
        ConnectionId = "c" + Interlocked.Increment(ref _connectionCounter),
        Client = (IPEndPoint)connection.RemoteEndPoint!,
        Destination = (IPEndPoint)connection.LocalEndPoint!,
        ProxyHeaderVersion = route.ProxyHeaderVersion,
        PeerIsTrustedProxy = route.PeerIsTrustedProxy,
        Sni = "myapp-" + route.Port + (route.Http2 ? "g" : "") + ".localhost",
        Instance = route.Instance,
        Port = route.Port,
        Http2 = route.Http2,
        Config = _runtime.Current,
    };
}
