namespace PolicyGate.Core.Bundles;

/// <summary>The signed payload of a bundle (DESIGN §9), decoded strictly.</summary>
public sealed record BundlePayload
{
    public required string BundleId { get; init; }
    public required string FleetId { get; init; }
    public required ulong Version { get; init; }
    /// <summary>"" for the first bundle, else the hash of the bundle this one replaces.</summary>
    public required string PreviousBundleHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required BundleAudience Audience { get; init; }
    public required BundleSections Sections { get; init; }
}
