using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PolicyGate.Acme;
using PolicyGate.Configuration;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Acme.Support;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Acme;

/// <summary>
/// [edge.acme] against a real ACME server: Debian's pebble, with pebble-challtestsrv as its DNS server. The `exec` DNS provider
/// runs a shell script that sets the DNS-01 TXT records in challtestsrv; the edge obtains *.acme.test and serves it.
/// </summary>
[Collection(AcmeCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AcmePebbleTests
{
    private const string BaseDomain = "acme.test";
    private const string HealthHost = "health." + BaseDomain;

    [Fact]
    public async Task Edge_obtains_the_wildcard_by_dns01_and_serves_it_with_a_chain_to_pebbles_root()
    {
        await using PebbleServer pebble = await PebbleServer.StartAsync();
        double issuedBefore = await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"issue\",outcome=\"ok\"}");
        await using TestNode node = await TestNode.StartAsync(AcmeOptions(pebble));

        X509Certificate2 leaf = await WaitForServedAsync(node, pebble, previousSerial: null);

        // The real curl verifies the chain against pebble's root and the host name against the wildcard.
        (int exit, string output) = await ToolRun.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pebble.RootFile,
            "--resolve", $"{HealthHost}:{node.EdgeEndPoint.Port}:127.0.0.1", $"https://{HealthHost}:{node.EdgeEndPoint.Port}/"]);
        Assert.True(exit == 0, output);
        Assert.Equal("200", output.Trim());
        List<string> sans = [.. leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames()];
        Assert.Contains("*." + BaseDomain, sans);
        Assert.Contains(BaseDomain, sans);

        // The renewal is scheduled at 2/3 of the lifetime, moved earlier by at most the jitter (a tenth of the lifetime here).
        AcmeCertificateService service = node.Service<AcmeCertificateService>();
        TimeSpan lifetime = leaf.NotAfter - leaf.NotBefore;
        DateTimeOffset twoThirds = new DateTimeOffset(leaf.NotBefore.ToUniversalTime()) + lifetime * 2 / 3;
        Assert.InRange(service.NextAttempt, twoThirds - lifetime / 10 - TimeSpan.FromSeconds(1), twoThirds + TimeSpan.FromSeconds(1));

        Assert.True(await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"issue\",outcome=\"ok\"}") > issuedBefore);
        // The expiry gauge the PolicyGateCertificateExpiring alert reads: the served certificate's NotAfter, to the second.
        double notAfter = await MetricsText.ValueAsync("policygate_acme_certificate_not_after_seconds");
        Assert.InRange(notAfter, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds() - 1, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds() + 1);
        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(node.DataDir, "audit"), AcmeConstants.AuditKindIssue, "*." + BaseDomain);
        Assert.Equal("change", (string?)audit["decision"]);
        Assert.Equal(leaf.SerialNumber, (string?)audit["details"]?["serial"]);

        // Account key and certificate key are owner-only files in data_dir/acme.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(node.DataDir, "acme", "account.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(node.DataDir, "acme", "certificate.key")));
    }

    [Fact]
    public async Task Forced_renewal_swaps_the_certificate_under_live_traffic_without_a_failed_request()
    {
        await using PebbleServer pebble = await PebbleServer.StartAsync();
        await using LoopbackBackend backend = LoopbackBackend.Echo();
        await using TestNode node = await TestNode.StartAsync(AcmeOptions(pebble));
        X509Certificate2 first = await WaitForServedAsync(node, pebble, previousSerial: null);
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", new JsonObject
        {
            ["instance_id"] = "echo1", ["app_id"] = "echo", ["address"] = "127.0.0.1",
            ["port_policy"] = new JsonObject { ["restrict_mode"] = true, ["ports"] = new JsonArray(new JsonObject { ["port"] = backend.Port, ["protocol"] = "tcp" }) },
        }.ToJsonString());

        // A terminated connection opened on the old certificate must survive the swap.
        await using EdgeClient longLived = await EdgeClient.ConnectAsync(node.EdgeEndPoint, $"echo-{backend.Port}.{BaseDomain}");
        Assert.Equal(first.Thumbprint, longLived.ServerCertificate!.Thumbprint);
        (byte[] sentBefore, byte[] echoedBefore, _) = await EdgeClient.EchoAsync(longLived.Ssl, 1000);
        Assert.Equal(sentBefore, echoedBefore);

        X509Certificate2Collection roots = TrustedEdgeClient.LoadRoots(pebble.RootFile);
        using CancellationTokenSource stop = new();
        List<string> failures = [];
        HashSet<string?> servedSerials = [];
        int requests = 0;
        Task traffic = Task.Run(async () =>
        {
            for (int i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    (string status, X509Certificate2 leaf) = await TrustedEdgeClient.GetHealthAsync(node.EdgeEndPoint, HealthHost, roots);
                    lock (servedSerials)
                    {
                        servedSerials.Add(leaf.SerialNumber);
                    }

                    if (status != "HTTP/1.1 200 OK")
                    {
                        failures.Add(status);
                    }
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    failures.Add(e.Message);
                }

                Interlocked.Increment(ref requests);
            }
        });

        await Task.Delay(300);
        using HttpResponseMessage renewed = await node.Admin.PostAsync("/api/v1/certificates/renew", null);
        string body = await renewed.Content.ReadAsStringAsync();
        Assert.True(renewed.IsSuccessStatusCode, body);
        JsonObject result = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("renew", (string?)result["kind"]);
        Assert.NotEqual(first.SerialNumber, (string?)result["serial"]);
        await Task.Delay(500);
        stop.Cancel();
        await traffic.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(failures);
        Assert.True(requests >= 5, $"only {requests} requests ran");
        Assert.Contains(first.SerialNumber, servedSerials);
        Assert.Contains((string?)result["serial"], servedSerials);
        (string statusAfter, X509Certificate2 after) = await TrustedEdgeClient.GetHealthAsync(node.EdgeEndPoint, HealthHost, roots);
        Assert.Equal("HTTP/1.1 200 OK", statusAfter);
        Assert.Equal((string?)result["serial"], after.SerialNumber);

        (byte[] sentAfter, byte[] echoedAfter, _) = await EdgeClient.EchoAsync(longLived.Ssl, 1000);
        Assert.Equal(sentAfter, echoedAfter);
        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(node.DataDir, "audit"), AcmeConstants.AuditKindRenew, "*." + BaseDomain);
        Assert.Equal("change", (string?)audit["decision"]);
    }

    [Fact]
    public async Task Pebble_down_at_renewal_keeps_the_old_certificate_and_records_the_failure()
    {
        await using PebbleServer pebble = await PebbleServer.StartAsync();
        await using TestNode node = await TestNode.StartAsync(AcmeOptions(pebble, o => (o.Edge.Acme.RetryInitial, o.Edge.Acme.RetryMax) = (TimeSpan.FromMinutes(10), TimeSpan.FromHours(1))));
        X509Certificate2 first = await WaitForServedAsync(node, pebble, previousSerial: null);
        double failedBefore = await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"renew\",outcome=\"error\"}");
        await pebble.StopPebbleAsync();

        using HttpResponseMessage renewed = await node.Admin.PostAsync("/api/v1/certificates/renew", null);
        string body = await renewed.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, renewed.StatusCode);
        JsonObject result = JsonNode.Parse(body)!.AsObject();
        Assert.False((bool)result["ok"]!);
        Assert.Equal(first.SerialNumber, (string?)result["serial"]);
        Assert.Equal(failedBefore + 1, await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"renew\",outcome=\"error\"}"));
        Assert.Equal(1, await MetricsText.ValueAsync("policygate_acme_consecutive_failures"));
        // Backoff: the next attempt is retry_initial away, not the old 2/3-of-lifetime schedule and not immediately.
        DateTimeOffset next = DateTimeOffset.Parse((string)result["next_attempt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(node.DataDir, "audit"), AcmeConstants.AuditKindRenew, "*." + BaseDomain);
        Assert.Equal("error", (string?)audit["decision"]);
        Assert.Contains(pebble.AcmePort.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)audit["reason"], StringComparison.Ordinal);

        (string status, X509Certificate2 still) = await TrustedEdgeClient.GetHealthAsync(node.EdgeEndPoint, HealthHost, TrustedEdgeClient.LoadRoots(pebble.RootFile));
        Assert.Equal("HTTP/1.1 200 OK", status);
        Assert.Equal(first.SerialNumber, still.SerialNumber);
    }

    [Fact]
    public async Task Restart_serves_the_stored_certificate_without_a_new_order()
    {
        await using PebbleServer pebble = await PebbleServer.StartAsync();
        // A data dir outside the node's temp base dir (which TestNode deletes at dispose), shared by both runs.
        string dataDir = Path.Combine(pebble.Dir.Path, "node-data");
        string serial;
        await using (TestNode first = await TestNode.StartAsync(AcmeOptions(pebble, o => o.Node.DataDir = dataDir)))
        {
            serial = (await WaitForServedAsync(first, pebble, previousSerial: null)).SerialNumber;
        }

        double issuedBefore = await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"issue\",outcome=\"ok\"}");
        await using TestNode second = await TestNode.StartAsync(AcmeOptions(pebble, o => o.Node.DataDir = dataDir));

        (string status, X509Certificate2 leaf) = await TrustedEdgeClient.GetHealthAsync(second.EdgeEndPoint, HealthHost, TrustedEdgeClient.LoadRoots(pebble.RootFile));
        Assert.Equal("HTTP/1.1 200 OK", status);
        Assert.Equal(serial, leaf.SerialNumber);
        Assert.True(second.Service<AcmeCertificateService>().NextAttempt > DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal(issuedBefore, await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"issue\",outcome=\"ok\"}"));
    }

    [Fact]
    public async Task Scheduled_renewal_at_two_thirds_of_a_short_lifetime_replaces_the_certificate()
    {
        // certificateValidityPeriod 9 s: renewal due after ~6 s (minus up to 0.9 s jitter), with no operator action.
        await using PebbleServer pebble = await PebbleServer.StartAsync(validitySeconds: 9);
        await using TestNode node = await TestNode.StartAsync(AcmeOptions(pebble));
        X509Certificate2 first = await WaitForServedAsync(node, pebble, previousSerial: null);

        X509Certificate2 second = await WaitForServedAsync(node, pebble, previousSerial: first.SerialNumber);

        Assert.True(second.NotBefore >= first.NotBefore);
        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(node.DataDir, "audit"), AcmeConstants.AuditKindRenew, "*." + BaseDomain);
        Assert.Equal(second.SerialNumber, (string?)audit["details"]?["serial"]);
    }

    internal static PolicyGateOptions AcmeOptions(PebbleServer pebble, Action<PolicyGateOptions>? configure = null) => TestNode.CreateOptions(o =>
    {
        o.Edge.BaseDomain = BaseDomain;
        o.Edge.Acme.Enabled = true;
        o.Edge.Acme.DirectoryUrl = pebble.DirectoryUrl;
        o.Edge.Acme.CaFile = pebble.ListenerCaFile;
        o.Edge.Acme.TermsOfServiceAgreed = true;
        o.Edge.Acme.Email = "ops@acme.test";
        o.Edge.Acme.DnsProvider = "exec";
        o.Edge.Acme.DnsExecCommand = pebble.DnsScript;
        o.Edge.Acme.DnsPropagationWait = TimeSpan.Zero;
        o.Edge.Acme.OrderTimeout = TimeSpan.FromSeconds(30);
        o.Edge.Acme.RetryInitial = TimeSpan.FromSeconds(2);
        o.Edge.Acme.RetryMax = TimeSpan.FromSeconds(10);
        configure?.Invoke(o);
    });

    /// <summary>Polls (bounded) a verified handshake until the edge serves a pebble certificate other than <paramref name="previousSerial"/>.</summary>
    internal static async Task<X509Certificate2> WaitForServedAsync(TestNode node, PebbleServer pebble, string? previousSerial, string host = HealthHost)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                (string status, X509Certificate2 leaf) = await TrustedEdgeClient.GetHealthAsync(node.EdgeEndPoint, host, TrustedEdgeClient.LoadRoots(pebble.RootFile));
                if (status == "HTTP/1.1 200 OK" && leaf.SerialNumber != previousSerial)
                {
                    return leaf;
                }

                last = $"{status}, serial {leaf.SerialNumber}";
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"the edge never served a (new) pebble certificate; last: {last}\n{pebble.Output}");
    }
}
