using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Bundles;

namespace PolicyGate.Core.Tests.Bundles;

public sealed class BundleVerifierTests
{
    [Fact]
    public void PaeIsTheDsseEncoding()
    {
        // The DSSE specification's own example (protocol.md).
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world",
            Encoding.UTF8.GetString(DssePae.Encode("http://example.com/HelloWorld", "hello world"u8)));
    }

    [Fact]
    public void ValidBundleIsAcceptedWithItsSections()
    {
        using BundleFactory f = new();
        JsonObject payload = BundleFactory.Payload();
        byte[] payloadBytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        BundleVerdict verdict = f.Verify(f.Sign(payloadBytes));
        Assert.True(verdict.Accepted, verdict.Rejection?.ToString());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payloadBytes)), verdict.Bundle!.Hash);
        BundleSections sections = verdict.Bundle.Payload.Sections;
        Assert.Equal("api.example.com", Assert.Single(sections.EgressRules!).Destination);
        Assert.True(sections.PortOverrides!["web1"].IsAllowed(8080));
        Assert.False(sections.PortOverrides!["web1"].IsAllowed(8081));
        Assert.Equal("acme", Assert.Single(sections.Tenants!).Id);
    }

    [Fact]
    public void KeyIdIsSha256OfTheRawPublicKey()
    {
        using BundleSigningKey key = BundleSigningKey.Generate();
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(key.RawPublicKey)), key.KeyId);
        using BundleSigningKey again = BundleSigningKey.TryImportPem(key.ExportPrivatePem(), out _)!;
        Assert.Equal(key.KeyId, again.KeyId);
    }

    [Theory]
    [InlineData("listeners")]
    [InlineData("admin")]
    [InlineData("cluster")]
    public void ForbiddenSectionIsNamed(string section)
    {
        using BundleFactory f = new();
        JsonObject payload = BundleFactory.Payload();
        payload["sections"]![section] = new JsonObject();
        AssertRejected(f.Verify(f.Sign(payload)), BundleErrors.ForbiddenSection, "sections." + section);
    }

    [Fact]
    public void UnknownFieldsAreRefusedAtAnyLevel()
    {
        using BundleFactory f = new();
        JsonObject top = BundleFactory.Payload();
        top["extra"] = 1;
        AssertRejected(f.Verify(f.Sign(top)), BundleErrors.UnknownField, "extra");
        JsonObject nested = BundleFactory.Payload();
        nested["sections"]!["egress_rules"]![0]!["priority"] = 5;
        AssertRejected(f.Verify(f.Sign(nested)), BundleErrors.UnknownField, "priority");
        JsonObject tenant = BundleFactory.Payload();
        tenant["sections"]!["tenants"]!["acme"]!["inspection"]!["colour"] = "red";
        AssertRejected(f.Verify(f.Sign(tenant)), BundleErrors.UnknownField, "colour");
    }

    [Fact]
    public void DuplicateKeysAreRefusedAtAnyDepth()
    {
        using BundleFactory f = new();
        string text = BundleFactory.Payload().ToJsonString().Replace("\"restrict_mode\":true", "\"restrict_mode\":true,\"restrict_mode\":false", StringComparison.Ordinal);
        AssertRejected(f.Verify(f.Sign(Encoding.UTF8.GetBytes(text))), BundleErrors.DuplicateKey, "restrict_mode");
        byte[] envelope = f.Sign(BundleFactory.Payload());
        string doubled = Encoding.UTF8.GetString(envelope).Replace("{\"payloadType\"", "{\"payloadType\":\"x\",\"payloadType\"", StringComparison.Ordinal);
        AssertRejected(f.Verify(Encoding.UTF8.GetBytes(doubled)), BundleErrors.DuplicateKey, "payloadType");
    }

    [Fact]
    public void TrailingDataIsRefusedInEnvelopeAndPayload()
    {
        using BundleFactory f = new();
        byte[] envelope = f.Sign(BundleFactory.Payload());
        AssertRejected(f.Verify([.. envelope, .. "{}"u8]), BundleErrors.TrailingData, "envelope");
        AssertRejected(f.Verify(f.Sign(Encoding.UTF8.GetBytes(BundleFactory.Payload().ToJsonString() + " x"))), BundleErrors.TrailingData, "payload");
    }

    [Fact]
    public void OversizeEnvelopeIsRefusedBeforeDecoding()
    {
        using BundleFactory f = new();
        byte[] big = new byte[BundleConstants.MaxEnvelopeBytes + 1];
        Array.Fill(big, (byte)' ');
        AssertRejected(f.Verify(big), BundleErrors.TooLarge, "1048577");
    }

    [Fact]
    public void WrongPayloadTypeAndBadBase64AreNamed()
    {
        using BundleFactory f = new();
        string envelope = Encoding.UTF8.GetString(f.Sign(BundleFactory.Payload()));
        AssertRejected(f.Verify(Encoding.UTF8.GetBytes(envelope.Replace(BundleConstants.PayloadType, "application/json", StringComparison.Ordinal))),
            BundleErrors.WrongPayloadType, "application/json");
        JsonObject node = JsonNode.Parse(envelope)!.AsObject();
        node["payload"] = "not base64!";
        AssertRejected(f.Verify(Encoding.UTF8.GetBytes(node.ToJsonString())), BundleErrors.BadBase64, "payload");
    }

    [Fact]
    public void TamperedPayloadFailsTheSignature()
    {
        using BundleFactory f = new();
        JsonObject envelope = JsonNode.Parse(f.Sign(BundleFactory.Payload()))!.AsObject();
        byte[] payload = Convert.FromBase64String(envelope["payload"]!.GetValue<string>());
        string tampered = Encoding.UTF8.GetString(payload).Replace("api.example.com", "evil.example.com", StringComparison.Ordinal);
        envelope["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(tampered));
        AssertRejected(f.Verify(Encoding.UTF8.GetBytes(envelope.ToJsonString())), BundleErrors.BadSignature, "does not verify");
    }

    [Fact]
    public void UntrustedKeyAndForgedKeyIdAreRefused()
    {
        using BundleFactory f = new();
        using BundleFactory other = new();
        byte[] foreign = other.Sign(BundleFactory.Payload());
        AssertRejected(f.Verify(foreign), BundleErrors.UntrustedKey, other.Key.KeyId);
        // Claiming the trusted key id while carrying another public key.
        string forged = Encoding.UTF8.GetString(foreign).Replace(other.Key.KeyId, f.Key.KeyId, StringComparison.Ordinal);
        AssertRejected(f.Verify(Encoding.UTF8.GetBytes(forged)), BundleErrors.KeyIdMismatch, "not the SHA-256");
    }

    [Fact]
    public void TimeWindowHasSkewOnNotBeforeAndStrictExpiry()
    {
        using BundleFactory f = new();
        byte[] envelope = f.Sign(BundleFactory.Payload());
        DateTimeOffset notBefore = new(2026, 6, 1, 11, 0, 0, TimeSpan.Zero);
        Assert.True(f.Verify(envelope, now: notBefore.AddSeconds(-60)).Accepted);
        AssertRejected(f.Verify(envelope, now: notBefore.AddSeconds(-61)), BundleErrors.NotYetValid, "not_before");
        DateTimeOffset expires = new(2026, 6, 2, 12, 0, 0, TimeSpan.Zero);
        Assert.True(f.Verify(envelope, now: expires.AddTicks(-1)).Accepted);
        AssertRejected(f.Verify(envelope, now: expires), BundleErrors.Expired, "expired");
    }

    [Fact]
    public void AudienceMatchesNodeIdOrEveryLabel()
    {
        using BundleFactory f = new();
        AssertRejected(f.Verify(f.Sign(BundleFactory.Payload()), node: "node-2"), BundleErrors.WrongAudience, "node-2");
        JsonObject byLabel = BundleFactory.Payload();
        byLabel["audience"] = new JsonObject { ["labels"] = new JsonObject { ["zone"] = "eu" } };
        Assert.True(f.Verify(f.Sign(byLabel), node: "node-9").Accepted);
        byLabel["audience"] = new JsonObject { ["labels"] = new JsonObject { ["zone"] = "eu", ["tier"] = "gold" } };
        AssertRejected(f.Verify(f.Sign(byLabel), node: "node-9"), BundleErrors.WrongAudience, "tier=gold");
    }

    [Fact]
    public void VersionChainIsEnforced()
    {
        using BundleFactory f = new();
        BundleVerdict first = f.Verify(f.Sign(BundleFactory.Payload(1)));
        string hash1 = first.Bundle!.Hash;
        Assert.True(f.Verify(f.Sign(BundleFactory.Payload(2, hash1)), 1, hash1).Accepted);
        Assert.True(f.Verify(f.Sign(BundleFactory.Payload(1)), 1, hash1).Unchanged);
        AssertRejected(f.Verify(f.Sign(BundleFactory.Payload(2, "sha256:" + new string('0', 64))), 1, hash1), BundleErrors.ChainBroken, hash1);
        AssertRejected(f.Verify(f.Sign(BundleFactory.Payload(2, "")), 3, hash1), BundleErrors.VersionLower, "lower");
        JsonObject other = BundleFactory.Payload(1);
        other["fleet_id"] = "fleet-b";
        AssertRejected(f.Verify(f.Sign(other), 1, hash1), BundleErrors.VersionConflict, "already active");
        AssertRejected(f.Verify(f.Sign(BundleFactory.Payload(0))), BundleErrors.BadField, "version");
    }

    internal static void AssertRejected(BundleVerdict verdict, string code, string mention)
    {
        Assert.NotNull(verdict.Rejection);
        Assert.Equal(code, verdict.Rejection!.Code);
        Assert.Contains(mention, verdict.Rejection.Message, StringComparison.Ordinal);
    }
}
