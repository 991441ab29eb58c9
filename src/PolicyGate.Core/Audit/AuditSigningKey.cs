using NSec.Cryptography;

namespace PolicyGate.Core.Audit;

/// <summary>The node's Ed25519 key that signs checkpoints; stored as the 32-byte seed in hex (node.key).</summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly Key _key;

    public AuditSigningKey(ReadOnlySpan<byte> seed)
    {
        _key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        PublicKey = new AuditVerifyKey(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The matching public key (written as node.pub).</summary>
    public AuditVerifyKey PublicKey { get; }

    /// <summary>A fresh random key.</summary>
    public static AuditSigningKey Generate()
    {
        using Key key = Key.Create(SignatureAlgorithm.Ed25519,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new AuditSigningKey(key.Export(KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>The 32-byte seed (for writing node.key).</summary>
    public byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>Lowercase hex Ed25519 signature of <paramref name="data"/>.</summary>
    public string Sign(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_key, data));

    public void Dispose() => _key.Dispose();
}
