namespace PolicyGate.Core.Bundles;

/// <summary>Wire constants of signed policy bundles (DESIGN §9).</summary>
public static class BundleConstants
{
    /// <summary>The DSSE payloadType every bundle envelope carries.</summary>
    public const string PayloadType = "application/vnd.policygate.bundle+json";

    /// <summary>Largest envelope accepted (1 MiB); one byte more is refused before decoding.</summary>
    public const int MaxEnvelopeBytes = 1024 * 1024;

    /// <summary>The only payload schema this build reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Clock skew tolerated on not_before (expires_at is strict).</summary>
    public static readonly TimeSpan NotBeforeSkew = TimeSpan.FromSeconds(60);

    /// <summary>Sections a bundle may carry; anything else is refused (default-deny).</summary>
    public static readonly IReadOnlyList<string> AllowedSections = ["egress_rules", "port_overrides", "tenants", "inspection"];
}
