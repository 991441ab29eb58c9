using System.Security.Cryptography.X509Certificates;
using PolicyGate.Tests.Acme.Support;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Acme;

/// <summary>The other ways to prove control to pebble: the Cloudflare DNS provider (against a local API stand-in) and TLS-ALPN-01 on the edge listener.</summary>
[Collection(AcmeCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AcmeProvidersTests
{
    [Fact]
    public async Task Cloudflare_provider_publishes_and_removes_the_txt_records_through_the_api()
    {
        // The Cloudflare API is a local stand-in (see CloudflareApiStandIn); pebble and challtestsrv are real.
        const string token = "cf-test-token-123";
        await using PebbleServer pebble = await PebbleServer.StartAsync();
        await using CloudflareApiStandIn cloudflare = await CloudflareApiStandIn.StartAsync("acme.test", token, pebble.ChallengeManagementPort);
        string tokenFile = Path.Combine(pebble.Dir.Path, "cloudflare.token");
        File.WriteAllText(tokenFile, token + "\n");
        await using TestNode node = await TestNode.StartAsync(AcmePebbleTests.AcmeOptions(pebble, o =>
        {
            o.Edge.Acme.DnsProvider = "cloudflare";
            o.Edge.Acme.DnsExecCommand = "";
            o.Edge.Acme.CloudflareApiUrl = cloudflare.ApiUrl;
            o.Edge.Acme.CloudflareTokenFile = tokenFile;
        }));

        X509Certificate2 leaf = await AcmePebbleTests.WaitForServedAsync(node, pebble, previousSerial: null);

        Assert.Contains("*.acme.test", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        string[] requests = [.. cloudflare.Requests];
        Assert.Contains("GET /client/v4/zones?name=acme.test", requests);
        // Two TXT records at _acme-challenge.acme.test (wildcard and apex), both created and then deleted.
        Assert.Equal(2, requests.Count(r => r == $"POST /client/v4/zones/{CloudflareApiStandIn.ZoneId}/dns_records"));
        Assert.Equal(2, requests.Count(r => r.StartsWith($"DELETE /client/v4/zones/{CloudflareApiStandIn.ZoneId}/dns_records/", StringComparison.Ordinal)));
        Assert.Empty(cloudflare.Records);
    }

    [Fact]
    public async Task Wrong_cloudflare_token_fails_the_order_with_the_api_error_and_serves_nothing()
    {
        await using PebbleServer pebble = await PebbleServer.StartAsync();
        await using CloudflareApiStandIn cloudflare = await CloudflareApiStandIn.StartAsync("acme.test", "right-token", pebble.ChallengeManagementPort);
        string tokenFile = Path.Combine(pebble.Dir.Path, "cloudflare.token");
        File.WriteAllText(tokenFile, "wrong-token");
        double failedBefore = await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"issue\",outcome=\"error\"}");
        await using TestNode node = await TestNode.StartAsync(AcmePebbleTests.AcmeOptions(pebble, o =>
        {
            o.Edge.Acme.DnsProvider = "cloudflare";
            o.Edge.Acme.CloudflareApiUrl = cloudflare.ApiUrl;
            o.Edge.Acme.CloudflareTokenFile = tokenFile;
        }));

        System.Text.Json.Nodes.JsonObject audit = await Admin.AuditFiles.WaitForAsync(Path.Combine(node.DataDir, "audit"), PolicyGate.Acme.AcmeConstants.AuditKindIssue, "*.acme.test");

        Assert.Equal("error", (string?)audit["decision"]);
        Assert.Contains("6003 Invalid request headers", (string?)audit["reason"], StringComparison.Ordinal);
        Assert.True(await MetricsText.ValueAsync("policygate_acme_certificates_total{kind=\"issue\",outcome=\"error\"}") > failedBefore);
        Assert.False(await EdgeClient.TryHandshakeAsync(node.EdgeEndPoint, "health.acme.test") is (true, _));
        using HttpResponseMessage ready = await node.Metrics.GetAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("no certificate obtained yet", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_alpn_01_is_answered_on_the_edge_listener_for_single_names()
    {
        int edgePort = TestNode.FreePort();
        await using PebbleServer pebble = await PebbleServer.StartAsync(tlsPort: edgePort);
        await using TestNode node = await TestNode.StartAsync(AcmePebbleTests.AcmeOptions(pebble, o =>
        {
            o.Edge.Listen = ["127.0.0.1:" + edgePort];
            o.Edge.BaseDomain = "alpn.test";
            o.Edge.Acme.Challenge = "tls-alpn-01";
            o.Edge.Acme.Names = ["health.alpn.test"];
        }));

        X509Certificate2 leaf = await AcmePebbleTests.WaitForServedAsync(node, pebble, previousSerial: null, host: "health.alpn.test");

        Assert.Equal(["health.alpn.test"], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        (int exit, string output) = await PolicyGate.Tests.Infrastructure.Processes.ToolRun.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}",
            "--cacert", pebble.RootFile, "--resolve", $"health.alpn.test:{edgePort}:127.0.0.1", $"https://health.alpn.test:{edgePort}/"]);
        Assert.True(exit == 0, output);
        Assert.Equal("200", output.Trim());
    }
}
