using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PolicyGate.Load.Cli;
using PolicyGate.Load.Clients;
using PolicyGate.Load.Reporting;
using PolicyGate.Load.Running;
using PolicyGate.Load.Simulations;

namespace PolicyGate.Tests.Load;

/// <summary>Runs the load runner end to end against a loopback TLS Kestrel backend so the harness cannot rot.</summary>
public sealed class LoadSmokeTests : IAsyncLifetime
{
    private static readonly byte[] s_body = JsonBody(1024);
    private readonly string _reports = Path.Combine(Path.GetTempPath(), "pg-load-smoke-" + Guid.NewGuid().ToString("N")[..12]);
    private WebApplication? _backend;
    private IPEndPoint _endPoint = new(IPAddress.Loopback, 0);

    public async Task InitializeAsync()
    {
        using X509Certificate2 certificate = CreateCertificate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        X509Certificate2 serverCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, lo => lo.UseHttps(serverCertificate)));
        _backend = builder.Build();
        _backend.MapGet("/1k.json", static (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = s_body.Length;
            return context.Response.Body.WriteAsync(s_body).AsTask();
        });
        await _backend.StartAsync();
        string address = _backend.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _endPoint = new IPEndPoint(IPAddress.Loopback, new Uri(address).Port);
    }

    public async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.StopAsync();
            await _backend.DisposeAsync();
        }

        try
        {
            Directory.Delete(_reports, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Two_hundred_https_requests_produce_sane_reports_in_markdown_csv_and_json()
    {
        ScenarioResult result = await RunAsync("/1k.json", ClientKind.HttpsRaw, maxRequests: 200);

        Assert.Equal(0, result.Errors);
        // Slots are reserved once measuring starts; at most one request per connection (4) was already in flight then.
        Assert.InRange(result.Requests, 200, 204);
        Assert.True(result.Bytes >= result.Requests * 1024, $"bytes {result.Bytes}");
        Assert.True(result.RequestsPerSecond > 0);
        Assert.True(result.LatencyP50Ms > 0 && result.LatencyP50Ms <= result.LatencyP99Ms && result.LatencyP99Ms <= result.LatencyMaxMs, "percentiles out of order");
        // /proc counts CPU in 10 ms ticks, so a 200-request run may round to 0; the reader itself is checked below.
        Assert.True(result.ProxyCpuUsPerRequest is >= 0, "no CPU figure for the watched process");

        string md = RunReportWriter.Write(_reports, result);
        string stem = md[..^3];
        Assert.Contains("| requests | " + result.Requests + " |", await File.ReadAllTextAsync(md));
        string[] csv = await File.ReadAllLinesAsync(stem + ".csv");
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("scenario,target,round,status", csv[0]);
        Assert.StartsWith("smoke,kestrel,1,ok,", csv[1]);
        using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(stem + ".json"));
        Assert.Equal(result.Requests, json.RootElement.GetProperty("requests").GetInt64());
        Assert.True(json.RootElement.GetProperty("latency_p99_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Failed_requests_are_counted_by_kind_and_compare_reports_unavailable_targets_as_na()
    {
        ScenarioResult notFound = await RunAsync("/missing", ClientKind.HttpsRaw, maxRequests: 20);
        Assert.Equal(0, notFound.Requests);
        Assert.True(notFound.ErrorsByKind.TryGetValue("http_404", out long count) && count >= 20, "404s not counted by kind");

        ScenarioResult ok = await RunAsync("/1k.json", ClientKind.HttpsClient, maxRequests: 50);
        RunReportWriter.Write(_reports, ok with { Target = "policygate" });
        RunReportWriter.Write(_reports, ok);
        Assert.Equal(0, NotAvailableCommand.Run(["--scenario", "smoke", "--target", "haproxy", "--reason", "not started in this test", "--out", _reports]));
        Assert.Equal(0, CompareCommand.Run(["--out", _reports]));

        string comparison = await File.ReadAllTextAsync(Path.Combine(_reports, "comparison.md"));
        Assert.Contains("| smoke | policygate | kestrel | **1.00** [1.00–1.00] | 1 |", comparison);
        Assert.Contains("| smoke | policygate | haproxy | n/a (haproxy: not started in this test) |", comparison);
        Assert.True(File.Exists(Path.Combine(_reports, "comparison.csv")));
        Assert.True(File.Exists(Path.Combine(_reports, "comparison.json")));
    }

    [Fact]
    public async Task Open_loop_rate_and_ramp_keep_to_their_schedule_and_bad_spellings_are_refused()
    {
        ScenarioResult rate = await RunAsync("/1k.json", ClientKind.HttpsRaw, maxRequests: 0, LoadSimulation.Parse("rate:100:8", out _)!, TimeSpan.FromSeconds(2));
        long started = rate.Requests + rate.Errors;
        Assert.InRange(started, 120, 220);
        Assert.Equal(rate.Errors, rate.ErrorsByKind.GetValueOrDefault("overload"));
        Assert.Equal("rate:100:8", rate.Simulation);

        ScenarioResult ramp = await RunAsync("/1k.json", ClientKind.HttpsRaw, maxRequests: 0, LoadSimulation.Parse("ramp:1:4", out _)!, TimeSpan.FromSeconds(1));
        Assert.True(ramp.Requests > 0 && ramp.Errors == 0, $"ramp: {ramp.Requests} ok, {ramp.Errors} errors");

        foreach (string bad in new[] { "closed:0", "closed:x", "rate:", "ramp:4:1", "burst:3", "closed:5000" })
        {
            Assert.Null(LoadSimulation.Parse(bad, out string? error));
            Assert.StartsWith("--sim " + bad + ":", error);
        }
    }

    private Task<ScenarioResult> RunAsync(string path, string client, long maxRequests, LoadSimulation? simulation = null, TimeSpan? duration = null) => RunCommand.ExecuteAsync(new ScenarioSettings
    {
        Scenario = "smoke",
        Target = "kestrel",
        Client = client,
        ClientTarget = new ClientTarget { EndPoint = _endPoint, ServerName = "smoke.localhost", Path = path, StepTimeout = TimeSpan.FromSeconds(20) },
        Simulation = simulation ?? new ClosedLoopSimulation(4),
        Warmup = TimeSpan.Zero,
        Duration = duration ?? TimeSpan.FromSeconds(60),
        MaxRequests = maxRequests,
        ProxyPids = [Environment.ProcessId],
        Progress = false,
    }, CancellationToken.None);

    private static X509Certificate2 CreateCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=*.localhost", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName("*.localhost");
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static byte[] JsonBody(int size)
    {
        string head = "{\"items\":\"";
        return System.Text.Encoding.ASCII.GetBytes(head + new string('a', size - head.Length - 2) + "\"}");
    }

    [Fact]
    public void Proc_cpu_reader_sees_this_process_burn_cpu()
    {
        int self = Environment.ProcessId;
        long before = PolicyGate.Load.Measurement.ProcStat.CpuTicks([self]);
        System.Diagnostics.Stopwatch burn = System.Diagnostics.Stopwatch.StartNew();
        double sink = 0;
        while (burn.ElapsedMilliseconds < 150)
        {
            sink += Math.Sqrt(burn.ElapsedTicks);
        }

        long after = PolicyGate.Load.Measurement.ProcStat.CpuTicks([self]);
        Assert.True(after - before >= 3, $"ticks {before} -> {after} (sink {sink})");
    }
}
