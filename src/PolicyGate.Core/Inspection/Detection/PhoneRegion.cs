namespace PolicyGate.Core.Inspection.Detection;

/// <summary>A tenant phone region compiled once: its trunk prefix and the possible lengths of its national numbers (a cheap filter before parsing).</summary>
internal sealed record PhoneRegion(string Code, string NationalPrefix, int[] Lengths)
{
    /// <summary>True when <paramref name="digitCount"/> digits, less a leading trunk prefix, is a possible national length here.</summary>
    public bool MightHold(string candidate, int digitCount)
    {
        int firstDigit = candidate.AsSpan().IndexOfAnyInRange('0', '9');
        bool trunk = NationalPrefix.Length > 0 && firstDigit >= 0 && candidate.AsSpan(firstDigit).StartsWith(NationalPrefix, StringComparison.Ordinal);
        return Lengths.Contains(digitCount) || (trunk && Lengths.Contains(digitCount - NationalPrefix.Length));
    }
}
