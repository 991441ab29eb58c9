using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Acme;

/// <summary>The JWK (RFC 7517) of an ACME account's P-256 public key and its RFC 7638 thumbprint.</summary>
public static class AcmeJwk
{
    /// <summary>The public key as a JWK object {crv, kty, x, y}.</summary>
    public static JsonObject PublicKey(ECDsa key)
    {
        (string x, string y) = Coordinates(key);
        return new JsonObject { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = x, ["y"] = y };
    }

    /// <summary>base64url(SHA-256) over the canonical JWK: required members only, sorted, no whitespace (RFC 7638 §3).</summary>
    public static string Thumbprint(ECDsa key)
    {
        (string x, string y) = Coordinates(key);
        string canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static (string X, string Y) Coordinates(ECDsa key)
    {
        ECParameters parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new CryptographicException("ACME account keys are ECDSA P-256 (ES256)");
        }

        return (Base64Url.EncodeToString(parameters.Q.X), Base64Url.EncodeToString(parameters.Q.Y));
    }
}
