namespace PolicyGate.Core.Bundles;

/// <summary>A bundle that passed every check: its exact envelope bytes, decoded envelope and payload, and its hash.</summary>
public sealed record VerifiedBundle(byte[] EnvelopeBytes, BundleEnvelope Envelope, BundlePayload Payload)
{
    public string Hash => Envelope.Hash;
}
