using System.Net;
using System.Text.Json;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Edge.Support;
using EchoBackend = PolicyGate.Tests.Http.EchoBackend;
using MetricsText = PolicyGate.Tests.Edge.Support.MetricsText;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Edge;

/// <summary>
/// Cloudflare Authenticated Origin Pulls: with edge.client_ca_file a terminated handshake needs a client certificate from that
/// CA (real curl with and without --cert); refusals are counted; passthrough is refused; trusted_proxies_file is re-read on reload.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeOriginPullTests : IAsyncLifetime
{
    private readonly ProcessWorkDir _dir = new("origin-pull");
    private ClientCertificateAuthority _cloudflare = null!;
    private ClientCertificateAuthority _stranger = null!;
    private EchoBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _cloudflare = new ClientCertificateAuthority(_dir.Path, "origin-pull");
        _stranger = new ClientCertificateAuthority(_dir.Path, "stranger");
        _backend = await EchoBackend.StartAsync(Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _cloudflare.Dispose();
        _stranger.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Client_without_a_certificate_from_the_configured_ca_fails_the_handshake_and_is_counted()
    {
        await using EdgeNode node = await StartAsync(o => o.Edge.ClientCaFile = _cloudflare.CaFile);
        string host = $"web-{_backend.Port}.localhost";
        double missingBefore = await MetricsText.ValueAsync("policygate_edge_client_certificate_refusals_total{reason=\"missing\"}");
        double untrustedBefore = await MetricsText.ValueAsync("policygate_edge_client_certificate_refusals_total{reason=\"untrusted\"}");

        (int noCert, string noCertOutput) = await CurlAsync(node, host);
        (string strangerCert, string strangerKey) = _stranger.IssueClient("stranger-client");
        (int wrongCa, string wrongCaOutput) = await CurlAsync(node, host, "--cert", strangerCert, "--key", strangerKey);

        Assert.NotEqual(0, noCert);
        Assert.DoesNotContain("\"x-forwarded-for\"", noCertOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, wrongCa);
        Assert.DoesNotContain("\"x-forwarded-for\"", wrongCaOutput, StringComparison.Ordinal);
        Assert.Equal(missingBefore + 1, await MetricsText.ValueAsync("policygate_edge_client_certificate_refusals_total{reason=\"missing\"}"));
        Assert.Equal(untrustedBefore + 1, await MetricsText.ValueAsync("policygate_edge_client_certificate_refusals_total{reason=\"untrusted\"}"));
    }

    [Fact]
    public async Task Client_with_a_certificate_from_the_configured_ca_is_served()
    {
        await using EdgeNode node = await StartAsync(o => o.Edge.ClientCaFile = _cloudflare.CaFile);
        (string cert, string key) = _cloudflare.IssueClient("cloudflare-edge");

        (int exit, string output) = await CurlAsync(node, $"web-{_backend.Port}.localhost", "--cert", cert, "--key", key);

        Assert.True(exit == 0, output);
        Assert.EndsWith("200", output.Trim(), StringComparison.Ordinal);
        Assert.Contains("\"x-forwarded-for\":\"127.0.0.1\"", output, StringComparison.Ordinal);
        // The health route stays reachable without a certificate (load-balancer checks).
        (int health, string healthOutput) = await CurlPathAsync(node, "health.localhost", "/");
        Assert.True(health == 0, healthOutput);
        Assert.EndsWith("200", healthOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passthrough_routes_are_refused_while_a_client_ca_is_required()
    {
        await using LoopbackBackend tls = LoopbackBackend.Echo();
        await using EdgeNode node = await StartAsync(o => o.Edge.ClientCaFile = _cloudflare.CaFile, extraPort: new PortRule(tls.Port));
        double before = await MetricsText.DenialsAsync("client_certificate");

        (bool handshake, long bytes) = await EdgeClient.TryHandshakeAsync(node.Edge, $"web-{tls.Port}s.localhost");

        Assert.False(handshake);
        Assert.Equal(0, bytes);
        Assert.Equal(0, tls.Accepted);
        await MetricsText.WaitForDenialsAboveAsync("client_certificate", before);
        await node.WaitForDenialAuditAsync($"web-{tls.Port}s.localhost", "client_certificate");
    }

    [Fact]
    public async Task Trusted_proxies_file_is_reread_on_reload()
    {
        string file = Path.Combine(_dir.Path, "cloudflare-ips.txt");
        File.WriteAllText(file, "# Cloudflare ranges\n173.245.48.0/20\n2400:cb00::/32\n");
        await using EdgeNode node = await StartAsync(o =>
        {
            o.Edge.TrustedProxies = [];
            o.Edge.TrustedProxiesFile = file;
        });
        string host = $"web-{_backend.Port}.localhost";

        (_, string before) = await CurlAsync(node, host, "-H", "CF-Connecting-IP: 198.51.100.7");
        File.WriteAllText(file, "127.0.0.0/8  # now the loopback peer is a trusted proxy\n");
        using HttpResponseMessage reload = await node.Node.Admin.PostAsync("/api/v1/reload", null);
        (_, string after) = await CurlAsync(node, host, "-H", "CF-Connecting-IP: 198.51.100.7");

        Assert.Contains("\"x-forwarded-for\":\"127.0.0.1\"", before, StringComparison.Ordinal);
        Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync());
        Assert.Contains("\"x-forwarded-for\":\"198.51.100.7\"", after, StringComparison.Ordinal);

        File.WriteAllText(file, "127.0.0.1/8\n");
        using HttpResponseMessage rejected = await node.Node.Admin.PostAsync("/api/v1/reload", null);
        string body = await rejected.Content.ReadAsStringAsync();
        Assert.False(rejected.IsSuccessStatusCode, body);
        Assert.Contains($"{file}:1: edge.trusted_proxies_file", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        (_, string kept) = await CurlAsync(node, host, "-H", "CF-Connecting-IP: 198.51.100.7");
        Assert.Contains("\"x-forwarded-for\":\"198.51.100.7\"", kept, StringComparison.Ordinal);
    }

    private async Task<EdgeNode> StartAsync(Action<PolicyGate.Configuration.PolicyGateOptions> configure, PortRule? extraPort = null)
    {
        string tenants = Path.Combine(_dir.Path, "tenants");
        Directory.CreateDirectory(tenants);
        // Inspection off: the echoed request headers hold addresses the ipv4 detector would block.
        File.WriteAllText(Path.Combine(tenants, "default.toml"), "[inspection]\nmode = \"off\"\n");
        EdgeNode node = await EdgeNode.StartAsync(o =>
        {
            o.Inspection.TenantsDir = tenants;
            configure(o);
        });
        List<PortRule> rules = [new PortRule(_backend.Port, Protocol: "http")];
        if (extraPort is not null)
        {
            rules.Add(extraPort);
        }

        await node.RegisterAsync("web1", "web", new PortPolicy(rules, restrictMode: true));
        return node;
    }

    /// <summary>The real curl to the edge (dev certificate, so -k); prints the body then the status code.</summary>
    private static Task<(int ExitCode, string Output)> CurlAsync(EdgeNode node, string host, params string[] extra) => CurlPathAsync(node, host, "/echo", extra);

    private static Task<(int ExitCode, string Output)> CurlPathAsync(EdgeNode node, string host, string path, params string[] extra)
    {
        int port = node.Edge.Port;
        return ToolRun.RunAsync("curl", ["-sS", "-k", "--max-time", "15", "-w", "\n%{http_code}", "--resolve", $"{host}:{port}:127.0.0.1", .. extra, $"https://{host}:{port}{path}"]);
    }
}
