namespace PolicyGate.Core.Bundles;

/// <summary>
/// The ordered check of DESIGN §9, stopping at the first failure: size, decode, signature against trusted keys, time window,
/// audience, version chain. Pure and never throws for bad input.
/// </summary>
public static class BundleVerifier
{
    public static BundleVerdict Verify(ReadOnlySpan<byte> body, BundleVerifyContext context)
    {
        BundleResult<BundleEnvelope> envelope = BundleEnvelopeDecoder.Decode(body);
        if (!envelope.IsOk)
        {
            return Reject(envelope.Rejection);
        }

        BundleResult<BundlePayload> payload = BundlePayloadDecoder.Decode(envelope.Value.Payload);
        if (!payload.IsOk)
        {
            return Reject(payload.Rejection);
        }

        BundleRejection? failed = BundleChecks.Signature(envelope.Value, context.TrustedKeys)
            ?? (context.CheckWindow ? BundleChecks.Window(payload.Value, context.Now) : null)
            ?? (context.NodeId is null ? null : BundleChecks.Audience(payload.Value, context.NodeId, context.Labels ?? new Dictionary<string, string>()));
        if (failed is not null)
        {
            return Reject(failed);
        }

        VerifiedBundle bundle = new(body.ToArray(), envelope.Value, payload.Value);
        failed = BundleChecks.Chain(payload.Value, bundle.Hash, context.ActiveVersion, context.ActiveHash, out bool unchanged);
        return failed is not null ? Reject(failed) : new BundleVerdict(bundle, unchanged, null);
    }

    private static BundleVerdict Reject(BundleRejection rejection) => new(null, false, rejection);
}
