using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PolicyGate.Core.Acme;

/// <summary>Challenge responses derived from a token and the account key thumbprint (RFC 8555 §8.1, §8.4; RFC 8737 §3).</summary>
public static class AcmeKeyAuthorization
{
    /// <summary>token "." thumbprint.</summary>
    public static string Create(string token, string accountThumbprint) => token + "." + accountThumbprint;

    /// <summary>The TXT value at _acme-challenge.&lt;domain&gt;: base64url(SHA-256(key authorization)).</summary>
    public static string DnsTxtValue(string keyAuthorization) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));

    /// <summary>The TLS-ALPN-01 acmeIdentifier extension value: DER OCTET STRING of SHA-256(key authorization).</summary>
    public static byte[] TlsAlpnExtensionValue(string keyAuthorization)
    {
        byte[] digest = SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization));
        byte[] der = new byte[2 + digest.Length];
        der[0] = 0x04; // OCTET STRING
        der[1] = (byte)digest.Length;
        digest.CopyTo(der, 2);
        return der;
    }

    /// <summary>The DNS-01 record name for an identifier: a wildcard's `*.` is dropped (RFC 8555 §8.4).</summary>
    public static string DnsRecordName(string identifier) =>
        "_acme-challenge." + (identifier.StartsWith("*.", StringComparison.Ordinal) ? identifier[2..] : identifier);
}
