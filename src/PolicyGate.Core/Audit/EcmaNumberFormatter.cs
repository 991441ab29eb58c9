using System.Globalization;

namespace PolicyGate.Core.Audit;

/// <summary>Formats a double the way ECMAScript's Number.prototype.toString does (RFC 8785 §3.2.2.3).</summary>
public static class EcmaNumberFormatter
{
    /// <summary>Returns the ES6 text of <paramref name="value"/>, or null for NaN and infinities (not representable in JSON).</summary>
    public static string? Format(double value)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }
        if (value == 0)
        {
            return "0"; // also -0
        }

        // "R" gives the shortest digits that round-trip, which is exactly the digit string ES6 asks for.
        string roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        bool negative = roundTrip[0] == '-';
        ReadOnlySpan<char> text = negative ? roundTrip.AsSpan(1) : roundTrip.AsSpan();

        int exponent = 0;
        int e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        // Collect the significant digits and n, the position of the decimal point (value = 0.d1d2... * 10^n).
        int dot = text.IndexOf('.');
        int integerDigits = dot >= 0 ? dot : text.Length;
        Span<char> digits = stackalloc char[text.Length];
        int count = 0;
        foreach (char c in text)
        {
            if (c != '.')
            {
                digits[count++] = c;
            }
        }
        int leadingZeros = 0;
        while (leadingZeros < count - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }
        int n = integerDigits - leadingZeros + exponent;
        ReadOnlySpan<char> significant = digits[leadingZeros..count].TrimEnd('0');
        int k = significant.Length;

        System.Text.StringBuilder result = new(32);
        if (negative)
        {
            result.Append('-');
        }
        if (k <= n && n <= 21)
        {
            result.Append(significant).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(significant[..n]).Append('.').Append(significant[n..]);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(significant);
        }
        else
        {
            result.Append(significant[0]);
            if (k > 1)
            {
                result.Append('.').Append(significant[1..]);
            }
            int shown = n - 1;
            result.Append('e').Append(shown < 0 ? '-' : '+').Append(Math.Abs(shown).ToString(CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }
}
