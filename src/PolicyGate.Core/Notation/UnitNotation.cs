using System.Globalization;

namespace PolicyGate.Core.Notation;

/// <summary>`&lt;count&gt;&lt;unit&gt;` notations (sizes, durations): a positive whole number directly followed by one unit; never throws.</summary>
public static class UnitNotation
{
    /// <summary>
    /// Parses <paramref name="text"/> against <paramref name="units"/> (longest suffixes first); on failure <paramref name="error"/>
    /// says why when the shape was right (zero, too large) and is empty when it was not a notation at all.
    /// </summary>
    public static bool TryParse(string text, IReadOnlyList<(string Suffix, long Scale)> units, long max, out long value, out string error)
    {
        value = 0;
        error = "";
        foreach ((string suffix, long scale) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal) || !TryParseCount(text.AsSpan(0, text.Length - suffix.Length), out long count))
            {
                continue;
            }

            if (count == 0)
            {
                error = $"'{text}' must be greater than zero";
                return false;
            }

            if (count > max / scale / 2)
            {
                error = $"'{text}' is too large";
                return false;
            }

            value = count * scale;
            return true;
        }

        return false;
    }

    /// <summary>The largest unit that divides <paramref name="value"/> exactly (units ordered largest first).</summary>
    public static string Format(long value, IReadOnlyList<(string Suffix, long Scale)> unitsLargestFirst)
    {
        foreach ((string suffix, long scale) in unitsLargestFirst)
        {
            if (value % scale == 0)
            {
                return (value / scale).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return value.ToString(CultureInfo.InvariantCulture) + unitsLargestFirst[^1].Suffix;
    }

    private static bool TryParseCount(ReadOnlySpan<char> digits, out long count)
    {
        count = 0;
        if (digits.IsEmpty || digits.Length > 15)
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }
}
