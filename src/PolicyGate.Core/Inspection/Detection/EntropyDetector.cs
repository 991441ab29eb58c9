using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel F: high-entropy base64/hex runs. Skips through text in strides of the minimum run length (a run that long
/// must cover a probe position), so clean prose costs a few byte tests per stride.
/// </summary>
internal static class EntropyDetector
{
    private static readonly SearchValues<char> s_base64 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-");
    private static readonly bool[] s_base64Table = Enumerable.Range(0, 128).Select(c => s_base64.Contains((char)c)).ToArray();
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>How far before a run a secret key name may stand (`"client_secret": "`, `Authorization: Bearer `, `API token: `).</summary>
    private const int KeyDistance = 40;

    /// <summary>Key names that make a run a secret even where its shape alone would not (a 40-hex token, a shorter base64 key).</summary>
    private static readonly ContextWords s_secretKeys = new("secret", "token", "key", "apikey", "password", "passwd", "pwd", "auth", "credential", "bearer", "private");

    /// <summary>Keys whose values are digests of public content (lockfiles, changelogs, caches).</summary>
    private static readonly ContextWords s_digestKeys = new("integrity", "checksum", "shasum", "hash", "digest", "commit", "reference", "resolved", "etag", "revision", "sha");

    /// <summary>Labels written as `label:run` in front of a digest.</summary>
    private static readonly ContextWords s_digestLabels = new("sha1", "sha256", "sha384", "sha512", "h1", "md5", "blake2b");

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, ScanProfile profile, List<DetectionHit> hits)
    {
        int minRun = profile.EntropyMinRun;
        int scannedTo = 0;
        int probe = minRun - 1;
        while (probe < text.Length)
        {
            if (!IsBase64(text[probe]))
            {
                probe += minRun;
                continue;
            }

            int start = probe;
            while (start > scannedTo && IsBase64(text[start - 1]))
            {
                start--;
            }

            // Words of prose end within a few characters: check up to the minimum length by hand (no call per probe),
            // and only a run that long is extended with the vectorized search.
            int end = probe + 1;
            int needed = Math.Min(text.Length, start + minRun);
            while (end < needed && IsBase64(text[end]))
            {
                end++;
            }

            if (end < needed)
            {
                scannedTo = end;
                probe = end + minRun;
                continue;
            }

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

    private static bool IsBase64(char c) => c < 128 && s_base64Table[c];

    private static ReadOnlySpan<char> TrimPadding(ReadOnlySpan<char> run)
    {
        run = run.Trim("-_=");
        return run.StartsWith("0x", StringComparison.Ordinal) ? run[2..] : run;
    }

    private static bool IsSecretLike(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> run, ScanProfile profile)
    {
        if (IsDigestOrContent(text, start))
        {
            return false;
        }

        bool keyed = s_secretKeys.Before(text, start, KeyDistance);
        if (!run.ContainsAnyExcept(s_hex))
        {
            // Hex: needs letters and digits; 40 chars alone is a git object id / SHA-1, a secret only next to a key name.
            bool mixed = run.ContainsAnyInRange('0', '9') && (run.ContainsAnyInRange('a', 'f') || run.ContainsAnyInRange('A', 'F'));
            return mixed && (run.Length != 40 || keyed) && ShannonBits(run) > profile.EntropyHexBits;
        }

        bool mixedCase = run.ContainsAnyInRange('a', 'z') && run.ContainsAnyInRange('A', 'Z') && run.ContainsAnyInRange('0', '9');
        if (!mixedCase || DecodesToText(run))
        {
            return false;
        }

        return ShannonBits(run) > (keyed ? profile.EntropyBase64Bits : Base64Threshold(profile.EntropyBase64Bits, run.Length));
    }

    /// <summary>
    /// Digests and inline content that are public by nature: a run labelled `sha256:`/`h1:`/`sha512-` (container, go.sum and
    /// SRI digests), under a digest key (`integrity`, `checksum`, `shasum`, `hash`, `commit`, `reference`, `resolved`), or the
    /// payload of a `data:…;base64,` URI.
    /// </summary>
    private static bool IsDigestOrContent(ReadOnlySpan<char> text, int start)
    {
        ReadOnlySpan<char> before = text[Math.Max(0, start - 8)..start];
        if (before.EndsWith(":", StringComparison.Ordinal) && s_digestLabels.InKeyBefore(text, start))
        {
            return true;
        }

        if (before.EndsWith("base64,", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        ReadOnlySpan<char> head = text[start..Math.Min(text.Length, start + 8)];
        if (head.StartsWith("sha", StringComparison.OrdinalIgnoreCase) && head.IndexOf('-') is > 3 and < 7)
        {
            return true;
        }

        return s_digestKeys.InKeyBefore(text, start) && !s_secretKeys.InKeyBefore(text, start);
    }

    /// <summary>Base64 of text (each decoded byte printable ASCII or a UTF-8 sequence) is an encoding, not key material.</summary>
    private static bool DecodesToText(ReadOnlySpan<char> run)
    {
        int usable = run.Length - (run.Length % 4);
        if (usable < 16)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[512];
        ReadOnlySpan<char> chars = run[..Math.Min(usable, 680)];
        if (!Convert.TryFromBase64Chars(chars, bytes, out int written) || written == 0)
        {
            return false;
        }

        int text = 0;
        foreach (byte b in bytes[..written])
        {
            text += b is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t' or >= 0x80 and < 0xF5 ? 1 : 0;
        }

        return text == written && bytes[..written].IndexOfAnyInRange((byte)0x80, (byte)0xFF) < written / 4;
    }

    /// <summary>
    /// Length-aware base64 threshold: the configured bits are the floor; longer runs must come within 0.5 bits of what
    /// random base64 of that length reaches (6 - 63/(2n ln 2), the small-sample bias; the spread of a 40-60 char sample is
    /// about 0.12 bits, so random keys clear it). Base64 of ordinary text reaches about 4.8-5.1 bits; it is told apart by
    /// decoding it (<see cref="DecodesToText"/>), not by the threshold.
    /// </summary>
    public static double Base64Threshold(double bits, int length) =>
        Math.Max(bits, 6.0 - (63.0 / (2.0 * length * Math.Log(2))) - 0.5);

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
