using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Acme;

namespace PolicyGate.Core.Tests.Acme;

public sealed class AcmeJwsTests
{
    [Fact]
    public void NewAccount_request_carries_the_jwk_and_an_ES256_signature_that_verifies()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        JsonObject jws = JsonNode.Parse(AcmeJws.Sign(key, "https://ca.example/new-acct", "nonce-1", null, new JsonObject { ["termsOfServiceAgreed"] = true }))!.AsObject();

        JsonObject header = JsonNode.Parse(Base64Url.DecodeFromChars((string)jws["protected"]!))!.AsObject();
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal("nonce-1", (string?)header["nonce"]);
        Assert.Equal("https://ca.example/new-acct", (string?)header["url"]);
        Assert.Null(header["kid"]);
        Assert.Equal("EC", (string?)header["jwk"]?["kty"]);
        Assert.Equal("P-256", (string?)header["jwk"]?["crv"]);
        Assert.Equal("{\"termsOfServiceAgreed\":true}", Encoding.UTF8.GetString(Base64Url.DecodeFromChars((string)jws["payload"]!)));
        byte[] signature = Base64Url.DecodeFromChars((string)jws["signature"]!);
        Assert.Equal(64, signature.Length);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes((string)jws["protected"]! + "." + (string)jws["payload"]!), signature,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Later_requests_use_kid_and_post_as_get_has_an_empty_payload()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        JsonObject jws = JsonNode.Parse(AcmeJws.Sign(key, "https://ca.example/order/1", "n2", "https://ca.example/acct/7", null))!.AsObject();

        JsonObject header = JsonNode.Parse(Base64Url.DecodeFromChars((string)jws["protected"]!))!.AsObject();
        Assert.Equal("https://ca.example/acct/7", (string?)header["kid"]);
        Assert.Null(header["jwk"]);
        Assert.Equal("", (string?)jws["payload"]);
    }

    [Fact]
    public void Thumbprint_is_sha256_over_the_ordered_required_members()
    {
        // The canonical JWK (RFC 7638 §3.2: crv, kty, x, y in that order, no spaces) is built by hand here, independently of AcmeJwk.
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters parameters = key.ExportParameters(false);
        string canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Base64Url.EncodeToString(parameters.Q.X) + "\",\"y\":\"" + Base64Url.EncodeToString(parameters.Q.Y) + "\"}";

        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), AcmeJwk.Thumbprint(key));
    }

    [Fact]
    public void Key_authorization_gives_the_dns_txt_value_and_record_name()
    {
        string keyAuthorization = AcmeKeyAuthorization.Create("token-abc", "thumb");

        Assert.Equal("token-abc.thumb", keyAuthorization);
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData("token-abc.thumb"u8)), AcmeKeyAuthorization.DnsTxtValue(keyAuthorization));
        Assert.Equal("_acme-challenge.example.com", AcmeKeyAuthorization.DnsRecordName("*.example.com"));
        Assert.Equal("_acme-challenge.example.com", AcmeKeyAuthorization.DnsRecordName("example.com"));
        byte[] extension = AcmeKeyAuthorization.TlsAlpnExtensionValue(keyAuthorization);
        Assert.Equal([0x04, 0x20], extension[..2]);
        Assert.Equal(SHA256.HashData("token-abc.thumb"u8), extension[2..]);
    }
}
