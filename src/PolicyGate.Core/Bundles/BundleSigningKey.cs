using System.Text;
using NSec.Cryptography;

namespace PolicyGate.Core.Bundles;

/// <summary>An Ed25519 bundle-signing key, stored as PKCS#8 PEM (the format `openssl genpkey -algorithm ed25519` writes).</summary>
public sealed class BundleSigningKey : IDisposable
{
    private readonly Key _key;

    private BundleSigningKey(Key key)
    {
        _key = key;
        RawPublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = BundleKeyId.Of(RawPublicKey);
    }

    /// <summary>"sha256:" + hex SHA-256 of the raw public key (what followers pin in trusted_keys).</summary>
    public string KeyId { get; }

    public byte[] RawPublicKey { get; }

    public static BundleSigningKey Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, Exportable()));

    /// <summary>Reads a PKCS#8 PEM Ed25519 private key; null with a reason for anything else.</summary>
    public static BundleSigningKey? TryImportPem(string pem, out string? error)
    {
        error = null;
        if (Key.TryImport(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem.Trim() + "\n"), KeyBlobFormat.PkixPrivateKeyText, out Key? key, Exportable()))
        {
            return new BundleSigningKey(key!);
        }

        error = "not an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)";
        return null;
    }

    public string ExportPrivatePem() => Encoding.ASCII.GetString(_key.Export(KeyBlobFormat.PkixPrivateKeyText));

    public string ExportPublicPem() => Encoding.ASCII.GetString(_key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));

    /// <summary>Signs DSSE PAE(payloadType, payload) and returns the envelope's signature entry.</summary>
    public BundleSignature Sign(ReadOnlySpan<byte> payload) =>
        new(KeyId, RawPublicKey, SignatureAlgorithm.Ed25519.Sign(_key, DssePae.Encode(BundleConstants.PayloadType, payload)));

    public void Dispose() => _key.Dispose();

    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
}
