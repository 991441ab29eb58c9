using System.Globalization;
using NSec.Cryptography;

namespace PolicyGate.Core.Bundles;

/// <summary>The checks of DESIGN §9 as pure functions: signature, time window, audience, version chain. Null = passed.</summary>
public static class BundleChecks
{
    /// <summary>
    /// At least one signature must come from a key in <paramref name="trustedKeys"/>, and every signature by a trusted key
    /// must verify over the DSSE PAE (key id = SHA-256 of the key was checked by the decoder).
    /// </summary>
    public static BundleRejection? Signature(BundleEnvelope envelope, IReadOnlyCollection<string> trustedKeys)
    {
        BundleSignature[] trusted = envelope.Signatures.Where(s => trustedKeys.Contains(s.KeyId)).ToArray();
        if (trusted.Length == 0)
        {
            return BundleErrors.Of(BundleErrors.UntrustedKey,
                $"signed by {string.Join(", ", envelope.Signatures.Select(s => s.KeyId))}, none of which is in trusted_keys");
        }

        byte[] pae = DssePae.Encode(envelope.PayloadType, envelope.Payload);
        foreach (BundleSignature signature in trusted)
        {
            PublicKey key;
            try
            {
                key = PublicKey.Import(SignatureAlgorithm.Ed25519, signature.PublicKey, KeyBlobFormat.RawPublicKey);
            }
            catch (FormatException)
            {
                return BundleErrors.Of(BundleErrors.BadSignature, $"{signature.KeyId}: not an Ed25519 public key");
            }

            if (!SignatureAlgorithm.Ed25519.Verify(key, pae, signature.Sig))
            {
                return BundleErrors.Of(BundleErrors.BadSignature, $"signature by {signature.KeyId} does not verify over the payload");
            }
        }

        return null;
    }

    /// <summary>not_before may be up to 60 s in the future (clock skew); expires_at is strict.</summary>
    public static BundleRejection? Window(BundlePayload payload, DateTimeOffset now)
    {
        if (payload.NotBefore > now + BundleConstants.NotBeforeSkew)
        {
            return BundleErrors.Of(BundleErrors.NotYetValid, $"not_before {Format(payload.NotBefore)} is after now {Format(now)} (+60 s skew)");
        }

        if (now >= payload.ExpiresAt)
        {
            return BundleErrors.Of(BundleErrors.Expired, $"expired at {Format(payload.ExpiresAt)} (now {Format(now)})");
        }

        return null;
    }

    public static BundleRejection? Audience(BundlePayload payload, string nodeId, IReadOnlyDictionary<string, string> labels) =>
        payload.Audience.Matches(nodeId, labels)
            ? null
            : BundleErrors.Of(BundleErrors.WrongAudience, $"node {nodeId} is not in the audience (node_ids [{string.Join(", ", payload.Audience.NodeIds)}], "
                + $"labels {{{string.Join(", ", payload.Audience.Labels.Select(l => l.Key + "=" + l.Value))}}})");

    /// <summary>
    /// Version chain against the active bundle: the same bundle is a no-op (<paramref name="unchanged"/>), a higher version must
    /// name the active hash as previous_bundle_hash, anything lower (or the same version with other content) is refused.
    /// </summary>
    public static BundleRejection? Chain(BundlePayload payload, string hash, ulong? activeVersion, string? activeHash, out bool unchanged)
    {
        unchanged = false;
        if (activeVersion is null || activeHash is null)
        {
            return null;
        }

        if (string.Equals(hash, activeHash, StringComparison.Ordinal))
        {
            unchanged = true;
            return null;
        }

        if (payload.Version < activeVersion)
        {
            return BundleErrors.Of(BundleErrors.VersionLower, $"version {payload.Version} is lower than the active version {activeVersion}");
        }

        if (payload.Version == activeVersion)
        {
            return BundleErrors.Of(BundleErrors.VersionConflict, $"version {payload.Version} is already active with hash {activeHash}");
        }

        return string.Equals(payload.PreviousBundleHash, activeHash, StringComparison.Ordinal)
            ? null
            : BundleErrors.Of(BundleErrors.ChainBroken,
                $"version {payload.Version} names previous_bundle_hash '{payload.PreviousBundleHash}', the active bundle (version {activeVersion}) is {activeHash}");
    }

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
