using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PolicyGate.Core.Bundles;

/// <summary>Key ids and bundle hashes: "sha256:" + lowercase hex of SHA-256.</summary>
public static partial class BundleKeyId
{
    public const int PublicKeyBytes = 32;

    /// <summary>The key id of a raw 32-byte Ed25519 public key.</summary>
    public static string Of(ReadOnlySpan<byte> rawPublicKey) => Sha256(rawPublicKey);

    /// <summary>"sha256:" + hex SHA-256 of <paramref name="data"/> (also the bundle hash of payload bytes).</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>True for "sha256:" followed by 64 lowercase hex digits.</summary>
    public static bool IsWellFormed(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
