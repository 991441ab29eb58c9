using PhoneNumbers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Validates phone candidates with libphonenumber (only after the cheap shape and length prefilters; it is slow).</summary>
public static class PhoneValidator
{
    private static readonly Lazy<PhoneNumberUtil> s_util = new(PhoneNumberUtil.GetInstance);

    /// <summary>True for a region code libphonenumber knows (upper case, two letters).</summary>
    public static bool IsSupportedRegion(string region) =>
        region.Length == 2 && char.IsAsciiLetterUpper(region[0]) && char.IsAsciiLetterUpper(region[1]) && s_util.Value.GetSupportedRegions().Contains(region);

    /// <summary>A number written with its country code (`+` or, with a context word, the `00` prefix) that is valid.</summary>
    public static bool IsValidInternational(string candidate)
    {
        try
        {
            return s_util.Value.IsValidNumber(s_util.Value.Parse(candidate, null));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>
    /// A national number valid in one of <paramref name="regions"/>. With a context word any grouping counts; without, the
    /// digit groups must be those the region itself writes (its national or international format), e.g. `030 901820`,
    /// `01 42 68 53 00`, `(415) 555-2671`.
    /// </summary>
    internal static bool IsValidNational(string candidate, ReadOnlySpan<int> groups, int digitCount, bool context, IReadOnlyList<PhoneRegion> regions)
    {
        foreach (PhoneRegion region in regions)
        {
            if (!region.MightHold(candidate, digitCount))
            {
                continue;
            }

            PhoneNumber number;
            try
            {
                number = s_util.Value.Parse(candidate, region.Code);
            }
            catch (NumberParseException)
            {
                continue;
            }

            if (!s_util.Value.IsValidNumberForRegion(number, region.Code))
            {
                continue;
            }

            if (context || SameGroups(groups, s_util.Value.Format(number, PhoneNumberFormat.NATIONAL))
                || SameGroups(groups, s_util.Value.Format(number, PhoneNumberFormat.INTERNATIONAL)))
            {
                return true;
            }
        }

        return false;
    }

    internal static PhoneRegion Region(string code)
    {
        PhoneMetadata metadata = s_util.Value.GetMetadataForRegion(code);
        return new PhoneRegion(code, metadata.NationalPrefix ?? "", metadata.GeneralDesc.PossibleLengthList.ToArray());
    }

    private static bool SameGroups(ReadOnlySpan<int> groups, string formatted)
    {
        int index = 0;
        int current = 0;
        foreach (char c in formatted)
        {
            if (char.IsAsciiDigit(c))
            {
                current++;
                continue;
            }

            if (current > 0)
            {
                if (index >= groups.Length || groups[index++] != current)
                {
                    return false;
                }

                current = 0;
            }
        }

        return current > 0 ? index == groups.Length - 1 && groups[index] == current : index == groups.Length;
    }
}
