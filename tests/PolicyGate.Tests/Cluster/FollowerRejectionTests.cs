using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Bundles;
using PolicyGate.Tests.Egress;

namespace PolicyGate.Tests.Cluster;

/// <summary>
/// A real follower process shown every bad bundle of DESIGN §9 over real mTLS: each is refused with its reason in status and
/// audit, and the running policy stays (proven with traffic through the follower's egress proxy and edge).
/// </summary>
public sealed class FollowerRejectionTests
{
    [Fact]
    public async Task Every_bad_bundle_is_refused_with_its_reason_and_changes_nothing()
    {
        using ClusterPki pki = await ClusterPki.CreateAsync();
        await using LoopbackBackend egressBackend = LoopbackBackend.Http();
        await using LoopbackBackend edgeBackend = LoopbackBackend.Http();
        using TestBundles bundles = new(egressBackend.Port, edgeBackend.Port);
        await using StandInLeader leader = new(pki);
        await using ClusterNode follower = ClusterNode.Follower(pki, bundles.Key.KeyId, leader.Port);
        await follower.StartAsync();
        await follower.Admin.PostAsync("instances", new StringContent(
            """{"instance_id":"web1","app_id":"web","address":"127.0.0.1","port_policy":{"restrict_mode":true,"ports":[]}}""", Encoding.UTF8, "application/json"));

        JsonObject v1 = bundles.Payload(1, "");
        string hash1 = TestBundles.HashOf(v1);
        leader.Serve(bundles.Sign(v1));
        await follower.WaitForStatusAsync(s => (string?)s["active"]?["hash"] == hash1, "bundle 1 active");
        Assert.Equal("200", await bundles.EgressAsync(follower));
        Assert.Equal("200", await bundles.EdgeAsync(follower));

        // If-None-Match is sent only once a bundle has been applied.
        Assert.DoesNotContain("If-None-Match", leader.Requests[0], StringComparison.OrdinalIgnoreCase);
        await LeaderFollowerTests.WaitUntilAsync(() => leader.Requests.Any(r => r.Contains($"If-None-Match: \"{hash1}\"", StringComparison.OrdinalIgnoreCase)),
            "poll after apply carries If-None-Match");

        using BundleSigningKey stranger = BundleSigningKey.Generate();
        JsonObject expired = bundles.Payload(2, hash1);
        expired["not_before"] = TestBundles.Rfc3339(DateTimeOffset.UtcNow.AddHours(-2));
        expired["expires_at"] = TestBundles.Rfc3339(DateTimeOffset.UtcNow.AddMinutes(-1));
        JsonObject early = bundles.Payload(2, hash1);
        early["not_before"] = TestBundles.Rfc3339(DateTimeOffset.UtcNow.AddMinutes(10));
        JsonObject listeners = bundles.Payload(2, hash1);
        listeners["sections"]!["listeners"] = new JsonObject { ["edge"] = "0.0.0.0:443" };
        JsonObject unknown = bundles.Payload(2, hash1);
        unknown["priority"] = 1;
        string duplicate = bundles.Payload(2, hash1).ToJsonString().Replace("\"schema_version\":1", "\"schema_version\":1,\"schema_version\":1", StringComparison.Ordinal);
        byte[] huge = new byte[BundleConstants.MaxEnvelopeBytes + 1];
        Array.Fill(huge, (byte)' ');
        huge[0] = (byte)'{';

        await RefusedAsync(follower, leader, bundles, hash1, "tampered payload", LeaderFollowerTests.Tamper(bundles.Sign(bundles.Payload(2, hash1))), BundleErrors.BadSignature);
        await RefusedAsync(follower, leader, bundles, hash1, "untrusted key", TestBundles.Sign(bundles.Payload(2, hash1), stranger), BundleErrors.UntrustedKey);
        await RefusedAsync(follower, leader, bundles, hash1, "expired", bundles.Sign(expired), BundleErrors.Expired);
        await RefusedAsync(follower, leader, bundles, hash1, "not yet valid", bundles.Sign(early), BundleErrors.NotYetValid);
        await RefusedAsync(follower, leader, bundles, hash1, "wrong audience", bundles.Sign(bundles.Payload(2, hash1, audience: "follower-9")), BundleErrors.WrongAudience);
        await RefusedAsync(follower, leader, bundles, hash1, "forbidden section", bundles.Sign(listeners), BundleErrors.ForbiddenSection);
        await RefusedAsync(follower, leader, bundles, hash1, "unknown field", bundles.Sign(unknown), BundleErrors.UnknownField);
        await RefusedAsync(follower, leader, bundles, hash1, "duplicate key", bundles.Sign(Encoding.UTF8.GetBytes(duplicate)), BundleErrors.DuplicateKey);
        await RefusedAsync(follower, leader, bundles, hash1, "trailing data", [.. bundles.Sign(bundles.Payload(2, hash1)), .. "{}"u8], BundleErrors.TrailingData);
        await RefusedAsync(follower, leader, bundles, hash1, "1 MiB + 1 byte", huge, BundleErrors.TooLarge);

        // Move to version 2, then show a lower version and a higher one that does not chain.
        JsonObject v2 = bundles.Payload(2, hash1);
        string hash2 = TestBundles.HashOf(v2);
        leader.Serve(bundles.Sign(v2));
        await follower.WaitForStatusAsync(s => (string?)s["active"]?["hash"] == hash2, "bundle 2 active");
        JsonObject lower = bundles.Payload(1, "");
        lower["fleet_id"] = "another-build";
        await RefusedAsync(follower, leader, bundles, hash2, "lower version", bundles.Sign(lower), BundleErrors.VersionLower);
        await RefusedAsync(follower, leader, bundles, hash2, "wrong previous hash", bundles.Sign(bundles.Payload(3, hash1)), BundleErrors.ChainBroken);
        Assert.Equal(2, await follower.MetricAsync("policygate_bundle_active_version"));
        Assert.True(await follower.MetricAsync("policygate_bundle_polls_total{outcome=\"rejected\"}") >= 12);
    }

    private static async Task RefusedAsync(ClusterNode follower, StandInLeader leader, TestBundles bundles, string activeHash, string what, byte[] body, string code)
    {
        leader.Serve(body);
        JsonObject status = await follower.WaitForStatusAsync(
            s => ((string?)s["last_poll"]?["error"])?.StartsWith(code + ":", StringComparison.Ordinal) == true, $"{what} refused as {code}");
        Assert.Equal("rejected", (string?)status["last_poll"]!["outcome"]);
        Assert.Equal(activeHash, (string?)status["active"]!["hash"]);
        await LeaderFollowerTests.WaitUntilAsync(
            () => follower.Audit("bundle.reject").Any(e => ((string?)e["reason"])?.StartsWith(code + ":", StringComparison.Ordinal) == true),
            $"{what}: audit entry with reason {code}");
        Assert.Equal("200", await bundles.EgressAsync(follower));
        Assert.Equal("200", await bundles.EdgeAsync(follower));
        byte[] lastKnownGood = File.ReadAllBytes(Path.Combine(follower.BundleDir, "last-known-good.json"));
        Assert.Equal(activeHash, BundleKeyId.Sha256(Convert.FromBase64String((string)JsonNode.Parse(lastKnownGood)!["payload"]!)));
    }
}
