using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Cli;

/// <summary>`policygate serve` as a real process: banner, production refusals (exit 2, one line), JSON logs, --verbose.</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly int _admin = TestNode.FreePort();
    private readonly int _metrics = TestNode.FreePort();
    private readonly int _edge = TestNode.FreePort();

    private string Write(string mode, string extra = "") => _dir.Write("pg.toml", $"""
        [node]
        mode = "{mode}"
        data_dir = "data"
        [edge]
        listen = ["127.0.0.1:{_edge}"]
        {extra}
        [edge.timeouts]
        shutdown = "2s"
        [admin]
        listen = "127.0.0.1:{_admin}"
        [metrics]
        listen = "127.0.0.1:{_metrics}"
        [inspection]
        tenants_dir = "no-tenants"
        """);

    [Fact]
    public async Task Dev_serve_prints_listeners_and_how_to_curl_then_stops_on_sigterm()
    {
        Write("dev");
        await using PolicygateProcess serve = PolicygateProcess.Start(["serve", "--config", "pg.toml"], workingDirectory: _dir.Path);
        Assert.True(await serve.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), serve.Stdout + serve.Stderr);
        await Task.Delay(200);
        string stdout = serve.Stdout;
        Assert.Contains($"  edge     https://127.0.0.1:{_edge}", stdout, StringComparison.Ordinal);
        Assert.Contains($"  admin    http://127.0.0.1:{_admin}/api/v1", stdout, StringComparison.Ordinal);
        Assert.Contains($"  metrics  http://127.0.0.1:{_metrics}/metrics", stdout, StringComparison.Ordinal);
        Assert.Contains($"curl -H \"Authorization: Bearer $(cat {Path.Combine(_dir.Path, "data", "admin.token")})\" http://127.0.0.1:{_admin}/api/v1/instances", stdout, StringComparison.Ordinal);
        Assert.Contains($"curl http://127.0.0.1:{_metrics}/readyz", stdout, StringComparison.Ordinal);
        Assert.Contains($"  data     {Path.Combine(_dir.Path, "data")}\n", stdout, StringComparison.Ordinal);
        Assert.Contains($"  token    file {Path.Combine(_dir.Path, "data", "admin.token")} (generated)\n", stdout, StringComparison.Ordinal);
        Assert.Contains($"  cert     {Path.Combine(_dir.Path, "data", "certs", "edge-dev.crt")}", stdout, StringComparison.Ordinal);
        // Kestrel would name the TLS edge http://; its "Now listening on" lines are replaced by the banner.
        Assert.DoesNotContain($"http://127.0.0.1:{_edge}", stdout, StringComparison.Ordinal);

        using HttpClient metrics = new() { BaseAddress = new Uri($"http://127.0.0.1:{_metrics}") };
        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/readyz")).StatusCode);
        serve.Signal(15);
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Production_refusals_are_one_line_each_on_stderr_and_exit_2()
    {
        Write("production");
        (int exit, _, string stderr) = await PolicygateProcess.RunAsync(["serve", "--config", "pg.toml"], workingDirectory: _dir.Path);
        Assert.Equal(2, exit);
        string file = Path.Combine(_dir.Path, "pg.toml");
        Assert.Equal(
            $"{file}: admin.token_file: production mode needs the admin token: set admin.token_file or env POLICYGATE_ADMIN_TOKEN\n"
            + $"{file}: audit.key_file: production mode needs the audit HMAC key: set audit.key_file or env POLICYGATE_AUDIT_KEY\n"
            + $"{file}: edge.cert_file: production mode refuses the dev self-signed certificate: set edge.cert_file and edge.key_file (PEM), or enable [edge.acme]\n"
            + $"{file}: edge.key_file: production mode refuses the dev self-signed certificate: set edge.cert_file and edge.key_file (PEM), or enable [edge.acme]\n",
            stderr);
    }

    [Fact]
    public async Task Production_serve_logs_compact_json_and_keeps_the_secrets_out_of_the_config()
    {
        using RSA key = RSA.Create(2048);
        CertificateRequest request = new("CN=*.localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _dir.Write("cert.pem", cert.ExportCertificatePem());
        _dir.Write("key.pem", key.ExportPkcs8PrivateKeyPem());
        Write("production", "cert_file = \"cert.pem\"\nkey_file = \"key.pem\"");
        Dictionary<string, string> env = new()
        {
            ["POLICYGATE_ADMIN_TOKEN"] = TestNode.AdminToken,
            ["POLICYGATE_AUDIT_KEY"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
        await using PolicygateProcess serve = PolicygateProcess.Start(["serve", "--config", "pg.toml"], env, _dir.Path);
        Assert.True(await serve.WaitForOutputAsync("data dir {DataDir}", TimeSpan.FromSeconds(60)), serve.Stdout + serve.Stderr);
        using HttpClient metrics = new() { BaseAddress = new Uri($"http://127.0.0.1:{_metrics}") };
        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/healthz")).StatusCode);

        string[] logLines = serve.Stdout.Split('\n').Where(l => l.StartsWith('{')).ToArray();
        Assert.NotEmpty(logLines);
        foreach (string line in logLines)
        {
            using JsonDocument entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("@t", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("@mt", out _), line);
        }

        Assert.DoesNotContain("Try it:", serve.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(TestNode.AdminToken, serve.Stdout, StringComparison.Ordinal);
        serve.Signal(15);
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Start_failure_is_one_line_exit_1_and_verbose_adds_the_stack_trace()
    {
        using Socket squatter = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, _metrics));
        squatter.Listen();
        Write("dev");

        (int exit, _, string stderr) = await PolicygateProcess.RunAsync(["serve", "--config", "pg.toml"], workingDirectory: _dir.Path);
        Assert.Equal(1, exit);
        Assert.StartsWith("policygate: ", stderr);
        Assert.Contains($"127.0.0.1:{_metrics}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));

        (exit, _, stderr) = await PolicygateProcess.RunAsync(["serve", "--config", "pg.toml", "--verbose"], workingDirectory: _dir.Path);
        Assert.Equal(1, exit);
        Assert.Contains("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_config_prints_the_effective_config_with_the_store_password_masked()
    {
        _dir.Write("pg.toml", "[store]\nkind = \"postgres\"\nconnection_string = \"Host=db;Username=pg;Password=hunter2\"\n");
        (int exit, string stdout, string stderr) = await PolicygateProcess.RunAsync(["check-config", "--config", "pg.toml"], workingDirectory: _dir.Path);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("connection_string = \"Host=db;Username=pg;Password=***\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout, StringComparison.Ordinal);
        Assert.Contains("[edge.timeouts]\nhandshake = \"5s\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_config_reports_production_refusals_too()
    {
        Write("production");
        (int exit, string stdout, string stderr) = await PolicygateProcess.RunAsync(
            ["check-config", "--config", "pg.toml"], new Dictionary<string, string> { ["POLICYGATE_ADMIN_TOKEN"] = "x" }, _dir.Path);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        string file = Path.Combine(_dir.Path, "pg.toml");
        Assert.Equal(
            $"{file}: admin.token_file: the admin token from env POLICYGATE_ADMIN_TOKEN is weak (1 characters); production mode needs at least 32 random characters (`openssl rand -hex 32`)\n"
            + $"{file}: audit.key_file: production mode needs the audit HMAC key: set audit.key_file or env POLICYGATE_AUDIT_KEY\n"
            + $"{file}: edge.cert_file: production mode refuses the dev self-signed certificate: set edge.cert_file and edge.key_file (PEM), or enable [edge.acme]\n"
            + $"{file}: edge.key_file: production mode refuses the dev self-signed certificate: set edge.cert_file and edge.key_file (PEM), or enable [edge.acme]\n",
            stderr);
    }

    public void Dispose() => _dir.Dispose();
}
