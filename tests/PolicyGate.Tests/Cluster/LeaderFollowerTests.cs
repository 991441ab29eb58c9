using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Egress;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Cluster;

/// <summary>DESIGN §9 end to end: a real leader and a real follower process over real mTLS on loopback, policy proven with traffic.</summary>
public sealed class LeaderFollowerTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Published_bundle_is_applied_by_the_follower_survives_the_leader_and_a_restart()
    {
        using ClusterPki pki = await ClusterPki.CreateAsync();
        await using LoopbackBackend egressBackend = LoopbackBackend.Http();
        await using LoopbackBackend edgeBackend = LoopbackBackend.Http();
        using TestBundles bundles = new(egressBackend.Port, edgeBackend.Port);
        using TempDirectory work = new();

        // The operator's key comes from the CLI; the key id it prints is what both nodes pin.
        (int keygenExit, string keyId, string keygenErr) = await PolicygateProcess.RunAsync(["bundle", "keygen", "--out", work.Path]);
        Assert.True(keygenExit == 0, keygenErr);
        keyId = keyId.Trim();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(work.Path, "bundle-signing.key")));

        await using ClusterNode leader = ClusterNode.Leader(pki, keyId);
        await leader.StartAsync();
        await using ClusterNode follower = ClusterNode.Follower(pki, keyId, leader.ClusterPort);
        await follower.StartAsync();

        // Nothing published yet: the leader answers 204, the follower is not ready and enforces nothing the bundle will allow.
        await follower.WaitForStatusAsync(s => (string?)s["last_poll"]?["outcome"] == "not_modified", "first poll answered 204");
        HttpResponseMessage notReady = await follower.Metrics.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("bundle", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage registered = await follower.Admin.PostAsJsonAsync("instances", new JsonObject
        {
            ["instance_id"] = "web1", ["app_id"] = "web", ["address"] = "127.0.0.1",
            ["port_policy"] = new JsonObject { ["restrict_mode"] = true, ["ports"] = new JsonArray() },
        });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("403 default:strict", await bundles.EgressAsync(follower));
        Assert.Equal("000", await bundles.EdgeAsync(follower));

        // Sign with the CLI and publish with the CLI.
        JsonObject payload = bundles.Payload(1, "");
        string payloadFile = work.Write("payload-1.json", payload.ToJsonString());
        string bundleFile = Path.Combine(work.Path, "bundle-1.json");
        (int signExit, string signOut, string signErr) = await PolicygateProcess.RunAsync(
            ["bundle", "sign", "--key", Path.Combine(work.Path, "bundle-signing.key"), "--in", payloadFile, "--out", bundleFile]);
        Assert.True(signExit == 0, signErr);
        string hash1 = TestBundles.HashOf(payload);
        Assert.Contains(hash1, signOut, StringComparison.Ordinal);
        (int publishExit, string publishOut, string publishErr) = await PolicygateProcess.RunAsync(
            ["bundle", "publish", "--admin", $"http://127.0.0.1:{leader.AdminPort}", "--token-file", Path.Combine(leader.Dir, "admin.token"), bundleFile]);
        Assert.True(publishExit == 0, publishErr);
        Assert.Equal($"published fleet-policy-1 version 1 hash {hash1}; applied on the leader\n", publishOut);
        Stopwatch applied = Stopwatch.StartNew();

        JsonObject status = await follower.WaitForStatusAsync(s => (ulong?)s["active"]?["version"] == 1, "bundle 1 active");
        applied.Stop();
        Assert.Equal(hash1, (string?)status["active"]!["hash"]);
        Assert.Equal("fleet-policy-1", (string?)status["active"]!["bundle_id"]);
        // poll_interval is 500 ms (±10 %): one interval plus the poll itself on a loaded machine.
        Assert.True(applied.Elapsed < TimeSpan.FromSeconds(2), $"applied {applied.Elapsed} after publish");
        Assert.Equal("200", await bundles.EgressAsync(follower));
        Assert.Equal("200", await bundles.EdgeAsync(follower));
        Assert.Equal(HttpStatusCode.OK, (await follower.Metrics.GetAsync("readyz")).StatusCode);
        Assert.Equal(1, await follower.MetricAsync("policygate_bundle_active_version"));
        JsonObject applyAudit = Assert.Single(follower.Audit("bundle.apply"));
        Assert.Equal(hash1, (string?)applyAudit["details"]!["hash"]);

        // The next poll carries If-None-Match with the applied hash and the leader answers 304.
        string seen = $"If-None-Match \"{hash1}\" answered 304";
        await WaitUntilAsync(() => leader.Stdout.Contains(seen, StringComparison.Ordinal), "leader logged a 304 poll: " + leader.Stdout);
        Assert.True(await leader.MetricAsync("policygate_bundle_requests_total{code=\"304\"}") >= 1);

        // The leader itself refuses what it cannot verify, with the reason, and audits it.
        using PolicyGate.Core.Bundles.BundleSigningKey operatorKey = PolicyGate.Core.Bundles.BundleSigningKey.TryImportPem(
            File.ReadAllText(Path.Combine(work.Path, "bundle-signing.key")), out _)!;
        byte[] tampered = Tamper(TestBundles.Sign(bundles.Payload(2, hash1), operatorKey));
        HttpResponseMessage refused = await leader.Admin.PutAsync("policy/bundle", new ByteArrayContent(tampered));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith("{\"error\":\"bad_signature:", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage unsigned = await leader.Admin.PutAsync("policy/bundle", new ByteArrayContent(bundles.Sign(bundles.Payload(2, hash1))));
        Assert.Contains("untrusted_key", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage broken = await leader.Admin.PutAsync("policy/bundle", new ByteArrayContent(
            TestBundles.Sign(bundles.Payload(2, "sha256:" + new string('0', 64)), operatorKey)));
        Assert.Contains("chain_broken", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await WaitUntilAsync(() => leader.Audit("bundle.reject").Count >= 3, "leader audited the refusals");
        Assert.Equal(hash1, (string?)(await leader.StatusAsync())["published"]!["hash"]);

        // Bundle-managed data is read-only on the follower.
        HttpResponseMessage conflict = await follower.Admin.PutAsJsonAsync("instances/web1/port-policy", new JsonObject { ["ports"] = new JsonArray() });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("managed by bundle fleet-policy-1", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage ruleConflict = await follower.Admin.DeleteAsync("egress/rules/bundle-0");
        Assert.Equal(HttpStatusCode.Conflict, ruleConflict.StatusCode);

        // Only a client certificate of the cluster CA may fetch the bundle.
        Assert.Equal(HttpStatusCode.OK, (await FetchLatestAsync(leader, pki, "follower")).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => FetchLatestAsync(leader, pki, "rogue"));
        await Assert.ThrowsAsync<HttpRequestException>(() => FetchLatestAsync(leader, pki, null));

        // Leader killed: the follower keeps enforcing.
        await leader.KillAsync();
        await follower.WaitForStatusAsync(s => (string?)s["last_poll"]?["outcome"] == "unreachable", "poll reports the leader unreachable");
        Assert.Equal(1UL, (ulong?)(await follower.StatusAsync())["active"]!["version"]);
        Assert.Equal("200", await bundles.EgressAsync(follower));
        Assert.Equal("200", await bundles.EdgeAsync(follower));
        Assert.True(await follower.MetricAsync("policygate_bundle_polls_total{outcome=\"unreachable\"}") >= 1);

        // Follower restarted with the leader still down: last-known-good is active at once.
        await follower.KillAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(follower.BundleDir, "last-known-good.json")));
        await follower.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await follower.Metrics.GetAsync("readyz")).StatusCode);
        JsonObject restarted = await follower.StatusAsync();
        Assert.Equal("last_known_good", (string?)restarted["active"]!["source"]);
        Assert.Equal(hash1, (string?)restarted["active"]!["hash"]);
        Assert.Equal("200", await bundles.EgressAsync(follower));
        Assert.Equal("200", await bundles.EdgeAsync(follower));
    }

    /// <summary>GET /api/v1/policy/latest with the named client certificate (null = none).</summary>
    private static async Task<HttpResponseMessage> FetchLatestAsync(ClusterNode leader, ClusterPki pki, string? client)
    {
        using X509Certificate2 trust = X509CertificateLoader.LoadCertificateFromFile(pki.CaFile);
        SocketsHttpHandler handler = new();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null;
        if (client is not null)
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(pki.Cert(client), pki.Key(client));
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }

        using HttpClient http = new(handler) { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetAsync($"https://127.0.0.1:{leader.ClusterPort}/api/v1/policy/latest");
    }

    /// <summary>Changes one character of the signed payload and re-encodes it, keeping the old signature.</summary>
    internal static byte[] Tamper(byte[] envelope)
    {
        JsonObject node = JsonNode.Parse(envelope)!.AsObject();
        string payload = Encoding.UTF8.GetString(Convert.FromBase64String((string)node["payload"]!));
        node["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace("\"restrict_mode\":true", "\"restrict_mode\":false", StringComparison.Ordinal)));
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }
}
