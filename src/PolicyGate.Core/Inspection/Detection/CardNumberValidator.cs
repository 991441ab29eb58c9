namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Payment card number validation: issuer ranges and the Luhn checksum.</summary>
public static class CardNumberValidator
{
    /// <summary>True when <paramref name="digits"/> (only '0'-'9') is a plausible card number of a known issuer.</summary>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        int length = digits.Length;
        return length is >= 13 and <= 19 && HasIssuerPrefix(digits, length) && PassesLuhn(digits) && !IsRepeated(digits);
    }

    public static bool PassesLuhn(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        bool doubled = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    private static bool HasIssuerPrefix(ReadOnlySpan<char> d, int length)
    {
        int p2 = Prefix(d, 2);
        int p3 = Prefix(d, 3);
        int p4 = Prefix(d, 4);
        int p6 = Prefix(d, 6);
        return (d[0] == '4' && length is 13 or 16 or 19)                                   // Visa
            || (p2 is >= 51 and <= 55 && length == 16)                                      // Mastercard
            || (p4 is >= 2221 and <= 2720 && length == 16)                                  // Mastercard 2-series
            || (p2 is 34 or 37 && length == 15)                                             // American Express
            || ((p4 == 6011 || p2 == 65 || p3 is >= 644 and <= 649 || p6 is >= 622126 and <= 622925) && length >= 16) // Discover
            || (p4 is >= 3528 and <= 3589 && length >= 16)                                  // JCB
            || ((p3 is >= 300 and <= 305 || p2 is 36 or 38 or 39) && length >= 14)          // Diners Club
            || (p2 == 62 && length >= 16)                                                   // UnionPay
            || (p4 is 5018 or 5020 or 5038 or 5893 or 6304 or 6759 or 6761 or 6762 or 6763 && length >= 13) // Maestro
            || (p4 is >= 2200 and <= 2204 && length >= 16);                                 // Mir
    }

    private static int Prefix(ReadOnlySpan<char> digits, int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            value = (value * 10) + (digits[i] - '0');
        }

        return value;
    }

    private static bool IsRepeated(ReadOnlySpan<char> digits) => digits.IndexOfAnyExcept(digits[0]) < 0;
}
