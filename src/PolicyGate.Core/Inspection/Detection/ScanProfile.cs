using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>A tenant's detectors compiled once per load: enabled flags, phrase anchors, protected-string windows, entropy limits.</summary>
public sealed class ScanProfile
{
    /// <summary>Context kept from the previous chunk so a token split across chunks is seen whole.</summary>
    public const int MinimumOverlap = 256;

    public ScanProfile(TenantPolicy policy)
    {
        IReadOnlySet<string> on = policy.Detectors;
        CreditCard = on.Contains(DetectorNames.CreditCard);
        UsSsn = on.Contains(DetectorNames.UsSsn);
        Email = on.Contains(DetectorNames.Email);
        Phone = on.Contains(DetectorNames.Phone);
        Ipv4 = on.Contains(DetectorNames.Ipv4);
        Ipv6 = on.Contains(DetectorNames.Ipv6);
        Iban = on.Contains(DetectorNames.Iban);
        Entropy = on.Contains(DetectorNames.Entropy);
        SecretPrefix = on.Contains(DetectorNames.SecretPrefix);
        Framing = on.Contains(DetectorNames.Framing) ? new FramingDetector(policy.FramingPhrases) : null;
        ProtectedStringSet set = new(policy.ProtectedStrings);
        Leakage = on.Contains(DetectorNames.Leakage) && !set.IsEmpty ? set : null;
        EntropyMinRun = policy.EntropyMinRun;
        EntropyBase64Bits = policy.EntropyBase64Bits;
        EntropyHexBits = policy.EntropyHexBits;
        PhoneRegions = policy.PhoneRegions.Distinct(StringComparer.Ordinal).Where(PhoneValidator.IsSupportedRegion).Select(PhoneValidator.Region).ToArray();
        Overlap = Math.Max(MinimumOverlap, Math.Max(2 * EntropyMinRun, 4 * (Framing?.LongestPhrase ?? 0)));
    }

    public bool CreditCard { get; }
    public bool UsSsn { get; }
    public bool Email { get; }
    public bool Phone { get; }
    public bool Ipv4 { get; }
    public bool Ipv6 { get; }
    public bool Iban { get; }
    public bool Entropy { get; }
    public bool SecretPrefix { get; }
    public FramingDetector? Framing { get; }
    public ProtectedStringSet? Leakage { get; }
    public int EntropyMinRun { get; }
    public double EntropyBase64Bits { get; }
    public double EntropyHexBits { get; }
    public int Overlap { get; }

    /// <summary>The tenant's phone regions with their trunk prefixes and national lengths.</summary>
    internal IReadOnlyList<PhoneRegion> PhoneRegions { get; }

    public bool NeedsDigits => CreditCard || UsSsn || Phone || Ipv4 || Iban;
}
