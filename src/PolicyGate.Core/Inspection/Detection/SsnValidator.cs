namespace PolicyGate.Core.Inspection.Detection;

/// <summary>US Social Security number rules: area not 000/666/9xx, group not 00, serial not 0000, not a known sample.</summary>
public static class SsnValidator
{
    // Numbers published in advertising or as examples (never valid for a person).
    private static readonly HashSet<int> s_samples = [78051120, 219099999, 123456789, 111111111, 333333333, 987654320];

    /// <summary><paramref name="digits"/> is exactly nine digits.</summary>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 9)
        {
            return false;
        }

        int area = Number(digits[..3]);
        int group = Number(digits.Slice(3, 2));
        int serial = Number(digits[5..]);
        int whole = (area * 1_000_000) + (group * 10_000) + serial;
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !s_samples.Contains(whole);
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        int value = 0;
        foreach (char c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
