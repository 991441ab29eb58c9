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

    private static ReadOnlySpan<char> TrimPadding(ReadOnlySpan<char> run) => run.Trim("-_=");

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
        return mixedCase && ShannonBits(run) > Base64Threshold(profile.EntropyBase64Bits, run.Length, profile.EntropyMinRun);
    }

    /// <summary>
    /// Length-aware base64 threshold: the configured bits apply at the minimum run; longer runs of random data reach
    /// higher entropy (the small-sample bias shrinks), so the bar rises slowly with log2 of the length.
    /// </summary>
    public static double Base64Threshold(double bits, int length, int minRun) =>
        bits + (0.5 * Math.Max(0, Math.Log2((double)length / minRun)));

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
