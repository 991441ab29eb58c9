namespace PolicyGate.Core.Bundles;

/// <summary>One DSSE signature entry: key id, raw 32-byte Ed25519 public key, 64-byte signature.</summary>
public sealed record BundleSignature(string KeyId, byte[] PublicKey, byte[] Sig);
