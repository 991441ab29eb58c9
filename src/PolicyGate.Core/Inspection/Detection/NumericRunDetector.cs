using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel E detectors anchored on digits: credit cards, US SSNs, IPv4, phone numbers and IBANs.
/// Finds digit runs (digits joined by at most two of ` -.()/`), then validates each run against the cheap shapes first.
/// </summary>
internal static class NumericRunDetector
{
    private const int MaxRunDigits = 40;
    private static readonly SearchValues<char> s_digits = SearchValues.Create("0123456789");

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
            if (profile.Iban && TryIban(text, start, out int ibanStart, out int ibanEnd))
            {
                hits.Add(new DetectionHit(DetectorNames.Iban, DetectionChannel.Automaton, baseOffset + ibanStart, ibanEnd - ibanStart));
                i = ibanEnd;
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

            string? detector = Classify(text[hitStart..end], digits[..Math.Min(digitCount, MaxRunDigits)], digitCount, shape, profile);
            if (detector is not null)
            {
                hits.Add(new DetectionHit(detector, DetectionChannel.Automaton, baseOffset + hitStart, end - hitStart));
            }
        }
    }

    private static string? Classify(ReadOnlySpan<char> run, ReadOnlySpan<char> digits, int digitCount, RunShape shape, ScanProfile profile)
    {
        if (digitCount > MaxRunDigits)
        {
            return null;
        }

        if (profile.CreditCard && (shape & ~(RunShape.Space | RunShape.Dash)) == 0 && CardNumberValidator.IsValid(digits))
        {
            return DetectorNames.CreditCard;
        }

        if (profile.UsSsn && digitCount == 9 && IsSsnShape(run) && SsnValidator.IsValid(digits))
        {
            return DetectorNames.UsSsn;
        }

        if (profile.Ipv4 && shape == RunShape.Dot && IsIpv4(run))
        {
            return DetectorNames.Ipv4;
        }

        if (profile.Phone && digitCount is >= 7 and <= 15 && IsPhoneShape(run, digits) && PhoneValidator.IsValid(run.ToString()))
        {
            return DetectorNames.Phone;
        }

        return null;
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

    /// <summary>E.164 (`+` then 8-15 digits) or a NANP-grouped national number: (3)3-4, 3-3-4, 1-3-3-4.</summary>
    private static bool IsPhoneShape(ReadOnlySpan<char> run, ReadOnlySpan<char> digits)
    {
        if (run[0] == '+')
        {
            return digits.Length >= 8;
        }

        Span<int> groups = stackalloc int[6];
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
                    return false;
                }

                groups[count++] = current;
                current = 0;
            }
        }

        if (current > 0 && count < groups.Length)
        {
            groups[count++] = current;
        }

        ReadOnlySpan<int> g = groups[..count];
        return g.SequenceEqual([3, 3, 4]) || g.SequenceEqual([1, 3, 3, 4]);
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
    }
}
