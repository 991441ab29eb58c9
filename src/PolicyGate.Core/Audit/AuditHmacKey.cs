using System.Security.Cryptography;

namespace PolicyGate.Core.Audit;

/// <summary>
/// The chain's HMAC-SHA256 key. Its id, written in every entry as key_id, is "hmac-" + the first 16 hex
/// characters of SHA-256(key): it names the key without revealing it.
/// </summary>
public sealed class AuditHmacKey
{
    private readonly byte[] _key;

    public AuditHmacKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != HexKey.KeyBytes)
        {
            throw new ArgumentException($"audit HMAC key must be {HexKey.KeyBytes} bytes", nameof(key));
        }
        _key = key.ToArray();
        KeyId = "hmac-" + HexKey.Sha256Hex(_key)[..16];
    }

    /// <summary>"hmac-" + 16 hex characters.</summary>
    public string KeyId { get; }

    /// <summary>A fresh random key.</summary>
    public static AuditHmacKey Generate() => new(RandomNumberGenerator.GetBytes(HexKey.KeyBytes));

    /// <summary>The raw key bytes (for writing a new key file).</summary>
    public ReadOnlySpan<byte> RawKey => _key;

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="data"/>.</summary>
    public string ComputeMac(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, data));
}
