using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Runtime;
using PolicyGate.Audit;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Policy;
using PolicyGate.Edge;
using PolicyGate.Inspection;
using Prometheus;

namespace PolicyGate.Tests.Inspection;

/// <summary>
/// A loopback Kestrel host whose pipeline is UseResponseInspection() then a terminal handler playing the backend.
/// One listener per tenant: a connection middleware sets <see cref="EdgeConnectionFeature"/> naming that tenant, as the
/// edge does. Uses the real tenant catalog (files in a temp dir) and the real audit chain.
/// </summary>
internal sealed class InspectionTestHost : IAsyncDisposable
{
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);

    private static readonly X509Certificate2 s_certificate = CreateCertificate();

    private InspectionTestHost(WebApplication app, PolicyGateOptions options, string root)
    {
        App = app;
        Options = options;
        Root = root;
        SocketsHttpHandler handler = new()
        {
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = static (_, cert, _, _) => cert is not null && cert.GetCertHashString() == s_certificate.GetCertHashString() },
        };
        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }
    public PolicyGateOptions Options { get; }
    public string Root { get; }
    public HttpClient Client { get; }
    public string TenantsDir => Options.ResolvePath(Options.Inspection.TenantsDir);

    public Uri Url(string tenant, string path) => new($"http://127.0.0.1:{_ports[tenant]}{path}");

    /// <summary>The TLS listener of <paramref name="tenant"/> (HTTP/1.1 and HTTP/2 via ALPN, self-signed cert pinned by the client).</summary>
    public Uri TlsUrl(string tenant, string path) => new($"https://localhost:{_ports["tls:" + tenant]}{path}");

    /// <summary>Starts a host with the given tenant files (id → TOML) and one listener per listed connection tenant.</summary>
    public static async Task<InspectionTestHost> StartAsync(IReadOnlyDictionary<string, string> tenantFiles, IEnumerable<string> connectionTenants,
        Func<HttpContext, Task> backend, long holdBytes = 64 * 1024)
    {
        string root = Path.Combine(Path.GetTempPath(), "pg-insp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(root, "tenants"));
        foreach ((string id, string toml) in tenantFiles)
        {
            File.WriteAllText(Path.Combine(root, "tenants", id + ".toml"), toml);
        }

        PolicyGateOptions options = new() { BaseDirectory = root };
        options.Node.Id = "inspection-test";
        options.Node.DataDir = Path.Combine(root, "data");
        options.Inspection.TenantsDir = "tenants";
        options.Inspection.HoldBytes = holdBytes;
        RuntimeConfigProvider runtime = new(RuntimeConfig.Compile(options));

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = root });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddAudit(options);
        builder.Services.AddInspection(options);
        List<string> tenants = connectionTenants.ToList();
        Dictionary<string, int> ports = [];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (string tenant in tenants)
            {
                int port = Infrastructure.TestNode.FreePort();
                ports[tenant] = port;
                kestrel.Listen(IPAddress.Loopback, port, listen => Configure(listen, tenant, runtime.Current, tls: false));
                int tlsPort = Infrastructure.TestNode.FreePort();
                ports["tls:" + tenant] = tlsPort;
                kestrel.Listen(IPAddress.Loopback, tlsPort, listen => Configure(listen, tenant, runtime.Current, tls: true));
            }
        });

        WebApplication app = builder.Build();
        app.UseMetricServer(url: "/metrics");
        app.UseResponseInspection();
        app.UseWebSockets();
        app.Run(context => backend(context));
        await app.StartAsync();
        InspectionTestHost host = new(app, options, root);
        foreach ((string tenant, int port) in ports)
        {
            host._ports[tenant] = port;
        }

        return host;
    }

    private static void Configure(ListenOptions listen, string tenant, RuntimeConfig config, bool tls)
    {
        listen.Protocols = tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        listen.Use(next => connection =>
        {
            connection.Features.Set(Feature(tenant, (IPEndPoint)connection.RemoteEndPoint!, (IPEndPoint)connection.LocalEndPoint!, config));
            return next(connection);
        });
        if (tls)
        {
            listen.UseHttps(s_certificate);
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=localhost", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private static EdgeConnectionFeature Feature(string tenant, IPEndPoint client, IPEndPoint local, RuntimeConfig config) => new()
    {
        Config = config,
        ConnectionId = "test-" + Guid.NewGuid().ToString("N")[..8],
        Client = client,
        Destination = local,
        Sni = "app-8080.localhost",
        Port = 8080,
        Instance = new InstanceRecord { InstanceId = "inst-" + tenant, AppId = "app", TenantId = tenant, Address = "127.0.0.1" },
    };

    /// <summary>Verifies the node's audit chain with the real verifier (after flushing) and returns the entries as JSON lines.</summary>
    public async Task<(AuditVerifyReport Report, List<string> Lines)> VerifyAuditAsync()
    {
        AuditChainWriter writer = App.Services.GetRequiredService<AuditChainWriter>();
        await writer.FlushAsync();
        AuditKeyMaterial keys = App.Services.GetRequiredService<AuditKeyMaterial>();
        AuditVerifyReport report = AuditChainVerifier.Verify(keys.Directory, keys.HmacKey, keys.SigningKey.PublicKey, liveTail: true);
        List<string> lines = Directory.GetFiles(keys.Directory, "audit-*.jsonl").Order().SelectMany(f => ReadShared(f)).ToList();
        return (report, lines);
    }

    private static IEnumerable<string> ReadShared(string file)
    {
        using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using StreamReader reader = new(stream);
        List<string> lines = [];
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    public async Task<string> MetricsAsync(string anyTenant) => await Client.GetStringAsync(Url(anyTenant, "/metrics"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
        await App.StopAsync(cts.Token);
        await App.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
