using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel F: high-entropy base64/hex runs. Skips through text in strides of the minimum run length (a run that long
/// must cover a probe position), so clean prose costs a few byte tests per stride.
/// </summary>
internal static class EntropyDetector
{
    private static readonly SearchValues<char> s_base64 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-");
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdefABCDEF");

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, ScanProfile profile, List<DetectionHit> hits)
    {
        int minRun = profile.EntropyMinRun;
        int scannedTo = 0;
        int probe = minRun - 1;
        while (probe < text.Length)
        {
            if (!s_base64.Contains(text[probe]))
            {
                probe += minRun;
                continue;
            }

            int start = probe;
            while (start > scannedTo && s_base64.Contains(text[start - 1]))
            {
                start--;
            }

            int end = probe + 1;
            int rest = text[end..].IndexOfAnyExcept(s_base64);
            end = rest < 0 ? text.Length : end + rest;
            scannedTo = end;
            probe = end + minRun;
            ReadOnlySpan<char> run = TrimPadding(text[start..end]);
            if (run.Length >= minRun && IsSecretLike(text, start, run, profile))
            {
                hits.Add(new DetectionHit(DetectorNames.Entropy, DetectionChannel.Rules, baseOffset + start, end - start));
            }
        }
    }

    private static ReadOnlySpan<char> TrimPadding(ReadOnlySpan<char> run)
    {
        run = run.Trim("-_=");
        return run.StartsWith("0x", StringComparison.Ordinal) ? run[2..] : run;
    }

    private static bool IsSecretLike(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> run, ScanProfile profile)
    {
        if (!run.ContainsAnyExcept(s_hex))
        {
            // Hex: needs letters and digits; a 40-char id is a git object / SHA-1, `sha256:`-labelled runs are digests.
            bool mixed = run.ContainsAnyInRange('0', '9') && (run.ContainsAnyInRange('a', 'f') || run.ContainsAnyInRange('A', 'F'));
            return mixed && run.Length != 40 && !IsLabelledDigest(text, start)
                && ShannonBits(run) > profile.EntropyHexBits;
        }

        bool mixedCase = run.ContainsAnyInRange('a', 'z') && run.ContainsAnyInRange('A', 'Z') && run.ContainsAnyInRange('0', '9');
        return mixedCase && ShannonBits(run) > Base64Threshold(profile.EntropyBase64Bits, run.Length);
    }

    /// <summary>
    /// Length-aware base64 threshold: the configured bits are the floor; longer runs must come within 0.3 bits of what
    /// random base64 of that length reaches (6 - 63/(2n ln 2), the small-sample bias), which keeps base64 of ordinary
    /// text (about 4.8-5.1 bits at any length) below the bar while random keys and tokens stay above it.
    /// </summary>
    public static double Base64Threshold(double bits, int length) =>
        Math.Max(bits, 6.0 - (63.0 / (2.0 * length * Math.Log(2))) - 0.3);

    private static bool IsLabelledDigest(ReadOnlySpan<char> text, int start)
    {
        ReadOnlySpan<char> before = text[Math.Max(0, start - 8)..start];
        return before.EndsWith("sha256:", StringComparison.OrdinalIgnoreCase) || before.EndsWith("sha512:", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("sha1:", StringComparison.OrdinalIgnoreCase) || before.EndsWith("sha384:", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Shannon entropy in bits per character over the run's character frequencies.</summary>
    public static double ShannonBits(ReadOnlySpan<char> run)
    {
        Span<int> counts = stackalloc int[128];
        counts.Clear();
        foreach (char c in run)
        {
            counts[c & 0x7F]++;
        }

        double bits = 0;
        double length = run.Length;
        foreach (int count in counts)
        {
            if (count > 0)
            {
                double p = count / length;
                bits -= p * Math.Log2(p);
            }
        }

        return bits;
    }
}
