namespace PolicyGate.Core.Bundles;

/// <summary>Outcome of <see cref="BundleVerifier.Verify"/>: a bundle to apply, the active one again (no-op), or a rejection.</summary>
public sealed record BundleVerdict(VerifiedBundle? Bundle, bool Unchanged, BundleRejection? Rejection)
{
    public bool Accepted => Rejection is null && !Unchanged;
}
