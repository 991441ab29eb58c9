using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Acme;

/// <summary>Flattened JWS (RFC 7515 §7.2.2) signed with ES256, as every ACME POST body (RFC 8555 §6.2).</summary>
public static class AcmeJws
{
    /// <summary>
    /// Signs <paramref name="payload"/> for <paramref name="url"/>: the header carries the account key as `jwk` when
    /// <paramref name="keyId"/> is null (newAccount), else `kid`. A null payload is POST-as-GET (empty payload string).
    /// </summary>
    public static string Sign(ECDsa key, string url, string nonce, string? keyId, JsonNode? payload)
    {
        JsonObject header = new() { ["alg"] = "ES256" };
        if (keyId is null)
        {
            header["jwk"] = AcmeJwk.PublicKey(key);
        }
        else
        {
            header["kid"] = keyId;
        }

        header["nonce"] = nonce;
        header["url"] = url;
        string protectedPart = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()));
        string payloadPart = payload is null ? "" : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        // ES256 = ECDSA P-256 over SHA-256, signature as the 64-byte r||s concatenation (RFC 7518 §3.4).
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new JsonObject
        {
            ["protected"] = protectedPart,
            ["payload"] = payloadPart,
            ["signature"] = Base64Url.EncodeToString(signature),
        }.ToJsonString();
    }
}
