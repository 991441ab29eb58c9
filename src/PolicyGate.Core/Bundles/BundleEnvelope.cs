namespace PolicyGate.Core.Bundles;

/// <summary>A decoded DSSE envelope: the exact payload bytes (what was signed and hashed) and its signatures.</summary>
public sealed record BundleEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<BundleSignature> Signatures)
{
    /// <summary>Bundle hash: sha256 of the payload bytes (the leader's ETag and the next version's previous_bundle_hash).</summary>
    public string Hash => BundleKeyId.Sha256(Payload);
}
