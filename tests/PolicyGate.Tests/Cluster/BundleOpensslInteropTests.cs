using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Bundles;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Cluster;

/// <summary>`policygate bundle sign|verify` against the real openssl in both directions: interoperability, not self-agreement.</summary>
public sealed class BundleOpensslInteropTests
{
    [Fact]
    public async Task Openssl_verifies_a_bundle_signed_by_the_cli_over_the_dsse_pae()
    {
        using TempDirectory dir = new();
        (int keygen, string keyId, _) = await PolicygateProcess.RunAsync(["bundle", "keygen", "--out", dir.Path]);
        Assert.Equal(0, keygen);
        string payload = dir.Write("payload.json", Payload().ToJsonString());
        string bundle = Path.Combine(dir.Path, "bundle.json");
        (int sign, _, string signErr) = await PolicygateProcess.RunAsync(["bundle", "sign", "--key", Path.Combine(dir.Path, "bundle-signing.key"), "--in", payload, "--out", bundle]);
        Assert.True(sign == 0, signErr);

        JsonObject envelope = JsonNode.Parse(File.ReadAllBytes(bundle))!.AsObject();
        byte[] payloadBytes = Convert.FromBase64String((string)envelope["payload"]!);
        Assert.Equal(File.ReadAllBytes(payload), payloadBytes);
        Assert.Equal(keyId.Trim(), (string?)envelope["signatures"]![0]!["keyid"]);
        File.WriteAllBytes(Path.Combine(dir.Path, "pae.bin"), Pae(payloadBytes));
        File.WriteAllBytes(Path.Combine(dir.Path, "sig.bin"), Convert.FromBase64String((string)envelope["signatures"]![0]!["sig"]!));
        (int verify, string output) = await ToolRun.RunAsync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", Path.Combine(dir.Path, "bundle-signing.pub"),
            "-rawin", "-in", Path.Combine(dir.Path, "pae.bin"), "-sigfile", Path.Combine(dir.Path, "sig.bin")]);
        Assert.True(verify == 0, output);
        Assert.Contains("Signature Verified Successfully", output, StringComparison.Ordinal);

        // Over anything but the exact PAE (here: the bare payload) openssl refuses, so the check above is real.
        (int bare, _) = await ToolRun.RunAsync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", Path.Combine(dir.Path, "bundle-signing.pub"),
            "-rawin", "-in", payload, "-sigfile", Path.Combine(dir.Path, "sig.bin")]);
        Assert.NotEqual(0, bare);
    }

    [Fact]
    public async Task A_bundle_signed_by_openssl_verifies_with_the_cli()
    {
        using TempDirectory dir = new();
        string key = Path.Combine(dir.Path, "openssl.key");
        Assert.Equal(0, (await ToolRun.RunAsync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", key])).ExitCode);
        string der = Path.Combine(dir.Path, "openssl.pub.der");
        Assert.Equal(0, (await ToolRun.RunAsync("openssl", ["pkey", "-in", key, "-pubout", "-outform", "DER", "-out", der])).ExitCode);
        byte[] rawPublicKey = File.ReadAllBytes(der)[^32..]; // SubjectPublicKeyInfo of Ed25519: 12-byte prefix + the raw key
        string keyId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(rawPublicKey));

        byte[] payload = Encoding.UTF8.GetBytes(Payload().ToJsonString());
        File.WriteAllBytes(Path.Combine(dir.Path, "pae.bin"), Pae(payload));
        string sig = Path.Combine(dir.Path, "sig.bin");
        (int signed, string signOutput) = await ToolRun.RunAsync("openssl", ["pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", Path.Combine(dir.Path, "pae.bin"), "-out", sig]);
        Assert.True(signed == 0, signOutput);
        string bundle = dir.Write("bundle.json", new JsonObject
        {
            ["payloadType"] = BundleConstants.PayloadType,
            ["payload"] = Convert.ToBase64String(payload),
            ["signatures"] = new JsonArray(new JsonObject
            {
                ["keyid"] = keyId, ["public_key"] = Convert.ToBase64String(rawPublicKey), ["sig"] = Convert.ToBase64String(File.ReadAllBytes(sig)),
            }),
        }.ToJsonString());

        (int ok, string okOut, _) = await PolicygateProcess.RunAsync(["bundle", "verify", "--trusted", keyId, "--node-id", "follower-1", bundle]);
        Assert.Equal(0, ok);
        Assert.Equal($"OK interop-1 version 1 hash {BundleKeyId.Sha256(payload)} signed by {keyId}\n", okOut);

        (int wrongNode, string wrongNodeOut, _) = await PolicygateProcess.RunAsync(["bundle", "verify", "--trusted", keyId, "--node-id", "elsewhere", bundle]);
        Assert.Equal(1, wrongNode);
        Assert.StartsWith("REJECTED wrong_audience: node elsewhere is not in the audience", wrongNodeOut, StringComparison.Ordinal);
        (int untrusted, string untrustedOut, _) = await PolicygateProcess.RunAsync(["bundle", "verify", "--trusted", "sha256:" + new string('a', 64), bundle]);
        Assert.Equal(1, untrusted);
        Assert.StartsWith("REJECTED untrusted_key:", untrustedOut, StringComparison.Ordinal);

        // The CLI signs with an openssl-made key too (PKCS#8 PEM), under the same key id.
        string resigned = Path.Combine(dir.Path, "resigned.json");
        (int cliSign, string cliSignOut, string cliSignErr) = await PolicygateProcess.RunAsync(
            ["bundle", "sign", "--key", key, "--in", dir.Write("payload.json", Encoding.UTF8.GetString(payload)), "--out", resigned]);
        Assert.True(cliSign == 0, cliSignErr);
        Assert.EndsWith($"with {keyId}\n", cliSignOut, StringComparison.Ordinal);
    }

    private static JsonObject Payload() => new()
    {
        ["schema_version"] = 1,
        ["bundle_id"] = "interop-1",
        ["fleet_id"] = "interop",
        ["version"] = 1,
        ["previous_bundle_hash"] = "",
        ["created_at"] = TestBundles.Rfc3339(DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["not_before"] = TestBundles.Rfc3339(DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["expires_at"] = TestBundles.Rfc3339(DateTimeOffset.UtcNow.AddHours(1)),
        ["audience"] = new JsonObject { ["node_ids"] = new JsonArray("follower-1") },
        ["sections"] = new JsonObject { ["egress_rules"] = new JsonArray(new JsonObject { ["container"] = "*", ["destination"] = "**.example.com" }) },
    };

    /// <summary>DSSE PAE written out independently of the product's encoder.</summary>
    private static byte[] Pae(byte[] payload) =>
        [.. Encoding.ASCII.GetBytes($"DSSEv1 {BundleConstants.PayloadType.Length} {BundleConstants.PayloadType} {payload.Length} "), .. payload];
}
