using NSec.Cryptography;

namespace PolicyGate.Core.Audit;

/// <summary>An Ed25519 public key that verifies checkpoints; its id is "sha256:" + hex SHA-256 of the raw 32-byte key.</summary>
public sealed class AuditVerifyKey
{
    private readonly PublicKey _key;

    public AuditVerifyKey(ReadOnlySpan<byte> rawPublicKey)
    {
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, rawPublicKey, KeyBlobFormat.RawPublicKey);
        RawKey = rawPublicKey.ToArray();
        KeyId = "sha256:" + HexKey.Sha256Hex(rawPublicKey);
    }

    /// <summary>"sha256:" + 64 hex characters.</summary>
    public string KeyId { get; }

    /// <summary>The raw 32-byte public key (node.pub holds it as hex).</summary>
    public byte[] RawKey { get; }

    /// <summary>Parses node.pub text (64 hex); null with a reason on bad input.</summary>
    public static AuditVerifyKey? TryParse(string? text, out string? error)
    {
        byte[]? raw = HexKey.TryParse(text, out error);
        if (raw is null)
        {
            return null;
        }
        try
        {
            return new AuditVerifyKey(raw);
        }
        catch (FormatException)
        {
            error = "not an Ed25519 public key";
            return null;
        }
    }

    /// <summary>True when <paramref name="signatureHex"/> is a valid signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, string? signatureHex)
    {
        if (signatureHex is null || signatureHex.Length != 128)
        {
            return false;
        }
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }
        return SignatureAlgorithm.Ed25519.Verify(_key, data, signature);
    }
}
