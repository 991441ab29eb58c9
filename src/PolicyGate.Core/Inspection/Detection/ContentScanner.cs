namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Runs the stateless detectors of both channels over one window of text. The text is the body's bytes widened one
/// byte to one char (Latin-1), so char offsets are byte offsets and every detector works on ASCII shapes.
/// </summary>
public static class ContentScanner
{
    public static void Scan(ReadOnlySpan<char> text, long baseOffset, ScanProfile profile, List<DetectionHit> hits)
    {
        if (profile.NeedsDigits)
        {
            NumericRunDetector.Scan(text, baseOffset, profile, hits);
        }

        if (profile.Email)
        {
            EmailDetector.Scan(text, baseOffset, hits);
        }

        if (profile.Ipv6)
        {
            Ipv6Detector.Scan(text, baseOffset, hits);
        }

        if (profile.Entropy)
        {
            EntropyDetector.Scan(text, baseOffset, profile, hits);
        }

        if (profile.SecretPrefix)
        {
            SecretPrefixDetector.Scan(text, baseOffset, hits);
        }

        profile.Framing?.Scan(text, baseOffset, hits);
    }

    /// <summary>Scans a complete UTF-8 body (tests, benchmarks); leakage included.</summary>
    public static List<DetectionHit> ScanAll(ReadOnlySpan<byte> body, ScanProfile profile)
    {
        using StreamScanner scanner = new(profile);
        List<DetectionHit> hits = [];
        scanner.Feed(body, final: true, hits);
        return hits;
    }
}
