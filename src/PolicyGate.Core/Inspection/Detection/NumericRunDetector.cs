using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel E detectors anchored on digits: credit cards, US SSNs, IPv4, phone numbers and IBANs.
/// Finds digit runs (digits joined by at most two of ` -.()/`), then validates each run against the cheap shapes first.
/// </summary>
internal static class NumericRunDetector
{
    private const int MaxRunDigits = 40;

    /// <summary>Fewest digits of a candidate without separators (IPv4 and grouped numbers always have separators).</summary>
    private const int MinCandidateDigits = 7;
    /// <summary>How far before a number a context word may stand (a JSON key, a CSV header, "Tel.:").</summary>
    private const int ContextDistance = 48;

    private static readonly SearchValues<char> s_digits = SearchValues.Create("0123456789");

    /// <summary>Words that make a national-format number a phone number (en, de, fr, es, it).</summary>
    private static readonly ContextWords s_phoneWords = new(
        "tel", "phone", "mobil", "cell", "fax", "call", "rufnummer", "handy", "anruf", "tél", "appel", "portable", "móvil", "movil",
        "celular", "llam", "llám", "chiam", "whatsapp");

    /// <summary>Words that make a 13-digit Visa-shaped number a card (alone it is as likely an EAN-13 barcode).</summary>
    private static readonly ContextWords s_cardWords = new("card", "karte", "carte", "tarjeta", "carta", "visa", "kreditkarte", "cc", "pan");

    private static readonly ContextWords s_ssnWords = new("ssn", "social security", "soc. sec", "soc sec", "ss#");

    /// <summary>Keys whose dotted values are versions, not addresses (`version 1.2.3.4`, `"build": "4.18.0.240"`).</summary>
    private static readonly string[] s_versionKeys = ContextWords.Widen(
        "version", "ver", "v", "build", "release", "firmware", "kernel", "patch", "rev", "revision", "versión", "versione", "compilación", "micrologiciel");

    public static void Scan(ReadOnlySpan<char> text, long baseOffset, ScanProfile profile, List<DetectionHit> hits)
    {
        Span<char> digits = stackalloc char[MaxRunDigits];
        int i = 0;
        while (i < text.Length)
        {
            int found = text[i..].IndexOfAny(s_digits);
            if (found < 0)
            {
                return;
            }

            int start = i + found;
            if (profile.Iban && start >= 2 && char.IsAsciiLetterUpper(text[start - 1]) && TryIban(text, start, out int ibanStart, out int ibanEnd))
            {
                hits.Add(new DetectionHit(DetectorNames.Iban, DetectionChannel.Automaton, baseOffset + ibanStart, ibanEnd - ibanStart));
                i = ibanEnd;
                continue;
            }

            if (IsShortPlainRun(text, start, out int plainEnd))
            {
                i = plainEnd;
                continue;
            }

            int end = ExtendRun(text, start, digits, out int digitCount, out RunShape shape);
            i = end;
            if (start > 0 && !IsLeftBoundary(text[start - 1]) || end < text.Length && !IsRightBoundary(text, end))
            {
                continue;
            }

            int hitStart = start;
            if (start > 0 && text[start - 1] is '+' or '(' && (start < 2 || IsLeftBoundary(text[start - 2])))
            {
                hitStart = start - 1;
            }

            string? detector = Classify(text, hitStart, end, digits[..Math.Min(digitCount, MaxRunDigits)], digitCount, shape, profile);
            if (detector is not null)
            {
                hits.Add(new DetectionHit(detector, DetectionChannel.Automaton, baseOffset + hitStart, end - hitStart));
            }
        }
    }

    /// <summary>
    /// A run of fewer than <see cref="MinCandidateDigits"/> digits that no separator continues (JSON ids and counts,
    /// years) cannot be any candidate; it is skipped without building the run.
    /// </summary>
    private static bool IsShortPlainRun(ReadOnlySpan<char> text, int start, out int end)
    {
        end = start + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end - start >= MinCandidateDigits || end + 1 >= text.Length)
        {
            return false;
        }

        if (text[end] == '/' && text[start] == '0' && end - start >= 2 && char.IsAsciiDigit(text[end + 1]))
        {
            return false;
        }

        // A separator continues the run when a digit follows it directly or after a second separator (ExtendRun's rule).
        return SeparatorShape(text[end]) == RunShape.None
            || !(char.IsAsciiDigit(text[end + 1]) || (SeparatorShape(text[end + 1]) != RunShape.None && end + 2 < text.Length && char.IsAsciiDigit(text[end + 2])));
    }

    private static string? Classify(ReadOnlySpan<char> text, int start, int end, ReadOnlySpan<char> digits, int digitCount, RunShape shape, ScanProfile profile)
    {
        if (digitCount > MaxRunDigits)
        {
            return null;
        }

        ReadOnlySpan<char> run = text[start..end];
        if (profile.CreditCard && (shape & ~(RunShape.Space | RunShape.Dash)) == 0 && CardNumberValidator.IsValid(digits)
            && (digitCount != 13 || s_cardWords.Before(text, start, ContextDistance)))
        {
            return DetectorNames.CreditCard;
        }

        // Nine digits are an SSN when grouped 3-2-4, or written plain right after an SSN label.
        if (profile.UsSsn && digitCount == 9 && (IsSsnShape(run) || (shape == RunShape.None && s_ssnWords.Before(text, start, ContextDistance)))
            && SsnValidator.IsValid(digits))
        {
            return DetectorNames.UsSsn;
        }

        if (profile.Ipv4 && shape == RunShape.Dot && IsIpv4(run) && !IsVersionKey(text, start) && !IsInIpv6(text, start))
        {
            return DetectorNames.Ipv4;
        }

        if (profile.Phone && digitCount is >= 7 and <= 15 && IsPhone(text, start, run, digitCount, profile))
        {
            return DetectorNames.Phone;
        }

        return null;
    }

    /// <summary>The dotted quad ends an IPv6 address (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`): the ipv6 detector reports it.</summary>
    private static bool IsInIpv6(ReadOnlySpan<char> text, int start)
    {
        int colons = 0;
        for (int i = start - 1; i >= 0 && start - i <= 40 && (char.IsAsciiHexDigit(text[i]) || text[i] == ':'); i--)
        {
            colons += text[i] == ':' ? 1 : 0;
        }

        return colons >= 2 && text[start - 1] == ':';
    }

    private static bool IsVersionKey(ReadOnlySpan<char> text, int start)
    {
        int keyEnd = ContextWords.SkipSyntax(text, start);
        ReadOnlySpan<char> key = text[ContextWords.WordStart(text, keyEnd)..keyEnd].TrimEnd('.');
        if (key.EndsWith("version", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (string word in s_versionKeys)
        {
            if (key.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// International numbers (`+`) must be valid; national numbers must be valid in one of the tenant's regions and either
    /// follow a phone context word or be grouped exactly as the region writes them. Groupings are checked before parsing.
    /// </summary>
    private static bool IsPhone(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> run, int digitCount, ScanProfile profile)
    {
        if (run[0] == '+')
        {
            return digitCount >= 8 && PhoneValidator.IsValidInternational(run.ToString());
        }

        Span<int> groups = stackalloc int[8];
        int count = Groups(run, groups);
        if (count == 0)
        {
            return false;
        }

        bool context = s_phoneWords.Before(text, start, ContextDistance);
        if (!context && count < 2)
        {
            return false;
        }

        if (context && run.StartsWith("00", StringComparison.Ordinal))
        {
            return PhoneValidator.IsValidInternational("+" + run[2..].ToString());
        }

        return PhoneValidator.IsValidNational(run.ToString(), groups[..count], digitCount, context, profile.PhoneRegions);
    }

    /// <summary>Lengths of the digit groups of <paramref name="run"/> (0 when there are more than fit).</summary>
    private static int Groups(ReadOnlySpan<char> run, Span<int> groups)
    {
        int count = 0;
        int current = 0;
        foreach (char c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                current++;
                continue;
            }

            if (current > 0)
            {
                if (count == groups.Length)
                {
                    return 0;
                }

                groups[count++] = current;
                current = 0;
            }
        }

        if (current > 0)
        {
            if (count == groups.Length)
            {
                return 0;
            }

            groups[count++] = current;
        }

        return count;
    }


    private static int ExtendRun(ReadOnlySpan<char> text, int start, Span<char> digits, out int digitCount, out RunShape shape)
    {
        digitCount = 0;
        shape = RunShape.None;
        int j = start;
        while (j < text.Length)
        {
            char c = text[j];
            if (char.IsAsciiDigit(c))
            {
                if (digitCount < MaxRunDigits)
                {
                    digits[digitCount] = c;
                }

                digitCount++;
                j++;
                continue;
            }

            int k = j;
            RunShape seen = RunShape.None;
            if (c == '/' && shape == RunShape.None && digitCount is >= 2 and <= 5 && text[start] == '0')
            {
                // An area code with its trunk 0 and a slash ("030/901820") joins the subscriber number.
                seen = RunShape.Slash;
                k++;
            }

            while (k < text.Length && k - j < 2 && SeparatorShape(text[k]) is var s && s != RunShape.None)
            {
                seen |= s;
                k++;
            }

            if (k == j || k >= text.Length || !char.IsAsciiDigit(text[k]))
            {
                break;
            }

            shape |= seen;
            j = k;
        }

        return j;
    }

    private static RunShape SeparatorShape(char c) => c switch
    {
        ' ' => RunShape.Space,
        '-' => RunShape.Dash,
        '.' => RunShape.Dot,
        '(' or ')' => RunShape.Paren,
        _ => RunShape.None,
    };

    private static bool IsLeftBoundary(char c) => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-');

    private static bool IsRightBoundary(ReadOnlySpan<char> text, int end)
    {
        char c = text[end];
        if (c is '.' or '-')
        {
            return end + 1 >= text.Length || !char.IsAsciiLetterOrDigit(text[end + 1]);
        }

        return !char.IsAsciiLetterOrDigit(c) && c != '_';
    }

    private static bool IsSsnShape(ReadOnlySpan<char> run) =>
        run.Length == 11 && run[3] == run[6] && run[3] is '-' or ' ';

    private static bool IsIpv4(ReadOnlySpan<char> run)
    {
        if (run.Count('.') != 3)
        {
            return false;
        }

        int octet = 0;
        int length = 0;
        foreach (char c in run)
        {
            if (c == '.')
            {
                if (length == 0)
                {
                    return false;
                }

                (octet, length) = (0, 0);
                continue;
            }

            if (!char.IsAsciiDigit(c) || (length == 1 && octet == 0) || ++length > 3)
            {
                return false;
            }

            octet = (octet * 10) + (c - '0');
            if (octet > 255)
            {
                return false;
            }
        }

        return length > 0;
    }

    /// <summary>An IBAN starting two letters before the digit at <paramref name="digitStart"/> (groups of 4 may be space-separated).</summary>
    private static bool TryIban(ReadOnlySpan<char> text, int digitStart, out int start, out int end)
    {
        start = digitStart - 2;
        end = 0;
        if (start < 0 || !char.IsAsciiLetterUpper(text[start]) || !char.IsAsciiLetterUpper(text[start + 1])
            || (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1])))
        {
            return false;
        }

        int length = IbanValidator.LengthOf(text.Slice(start, 2));
        if (length == 0)
        {
            return false;
        }

        Span<char> compact = stackalloc char[34];
        int n = 0;
        int j = start;
        while (j < text.Length && n < length)
        {
            char c = text[j];
            if (char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c))
            {
                compact[n++] = c;
                j++;
            }
            else if (c == ' ' && n % 4 == 0 && j + 1 < text.Length && char.IsAsciiLetterOrDigit(text[j + 1]))
            {
                j++;
            }
            else
            {
                break;
            }
        }

        if (n != length || (j < text.Length && char.IsAsciiLetterOrDigit(text[j])) || !IbanValidator.IsValid(compact[..n]))
        {
            return false;
        }

        end = j;
        return true;
    }

    [Flags]
    private enum RunShape
    {
        None = 0,
        Space = 1,
        Dash = 2,
        Dot = 4,
        Paren = 8,
        Slash = 16,
    }
}
