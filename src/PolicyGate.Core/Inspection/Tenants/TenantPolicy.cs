using PolicyGate.Core.Inspection.Detection;

namespace PolicyGate.Core.Inspection.Tenants;

/// <summary>One tenant's inspection settings (config/tenants/&lt;id&gt;.toml, [inspection]); immutable.</summary>
public sealed class TenantPolicy
{
    public static readonly IReadOnlyList<string> DefaultContentTypes =
        ["text/*", "application/json", "application/*+json", "application/x-ndjson", "text/event-stream"];

    public static readonly IReadOnlyList<string> DefaultFramingPhrases =
        ["the system prompt", "hidden instructions", "secret key", "private_key =", "secret_key ="];

    /// <summary>Regions whose national phone formats are recognised when a tenant file names none.</summary>
    public static readonly IReadOnlyList<string> DefaultPhoneRegions = ["US"];

    public const long DefaultMaxScanBytes = 8L * 1024 * 1024;

    public TenantPolicy(
        string id,
        InspectionMode mode = InspectionMode.Block,
        IReadOnlyCollection<string>? detectors = null,
        IReadOnlyList<string>? protectedStrings = null,
        IReadOnlyList<string>? contentTypes = null,
        long maxScanBytes = DefaultMaxScanBytes,
        IReadOnlyList<string>? framingPhrases = null,
        int entropyMinRun = 40,
        double entropyBase64Bits = 4.5,
        double entropyHexBits = 3.0,
        IReadOnlyList<string>? phoneRegions = null)
    {
        Id = id;
        Mode = mode;
        Detectors = new HashSet<string>(detectors ?? DetectorNames.All, StringComparer.Ordinal);
        ProtectedStrings = protectedStrings ?? [];
        ContentTypes = contentTypes ?? DefaultContentTypes;
        MaxScanBytes = maxScanBytes;
        FramingPhrases = framingPhrases ?? DefaultFramingPhrases;
        EntropyMinRun = entropyMinRun;
        EntropyBase64Bits = entropyBase64Bits;
        EntropyHexBits = entropyHexBits;
        PhoneRegions = phoneRegions ?? DefaultPhoneRegions;
        Profile = new ScanProfile(this);
    }

    public string Id { get; }
    public InspectionMode Mode { get; }
    public IReadOnlySet<string> Detectors { get; }
    public IReadOnlyList<string> ProtectedStrings { get; }
    public IReadOnlyList<string> ContentTypes { get; }
    public long MaxScanBytes { get; }
    public IReadOnlyList<string> FramingPhrases { get; }
    public int EntropyMinRun { get; }
    public double EntropyBase64Bits { get; }
    public double EntropyHexBits { get; }

    /// <summary>Regions (ISO 3166 codes) whose national phone numbers count: written as the region writes them, or lifted by a context word.</summary>
    public IReadOnlyList<string> PhoneRegions { get; }

    /// <summary>The compiled matchers for this tenant (built once per load).</summary>
    public ScanProfile Profile { get; }

    /// <summary>The built-in `default` tenant used when there is no tenants directory (block, all detectors).</summary>
    public static TenantPolicy BuiltinDefault { get; } = new("default");

    /// <summary>True when a response with this Content-Type is inspected (`type/*` wildcards, `application/*+json` suffixes).</summary>
    public bool MatchesContentType(string? contentType) => ContentTypeMatcher.Matches(ContentTypes, contentType);
}
