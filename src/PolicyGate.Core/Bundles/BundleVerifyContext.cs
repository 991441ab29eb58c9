namespace PolicyGate.Core.Bundles;

/// <summary>What a verifier checks a bundle against: pinned keys, this node's identity (null = skip audience), the clock, the active bundle.</summary>
public sealed record BundleVerifyContext(
    IReadOnlyCollection<string> TrustedKeys,
    DateTimeOffset Now,
    string? NodeId = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    ulong? ActiveVersion = null,
    string? ActiveHash = null,
    bool CheckWindow = true);
