using PhoneNumbers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>Validates phone candidates with libphonenumber (only after the cheap shape prefilter; it is slow).</summary>
public static class PhoneValidator
{
    private static readonly Lazy<PhoneNumberUtil> s_util = new(PhoneNumberUtil.GetInstance);

    /// <summary>Region assumed for numbers written without a leading `+` (national format).</summary>
    public const string NationalRegion = "US";

    public static bool IsValid(string candidate)
    {
        try
        {
            PhoneNumber number = s_util.Value.Parse(candidate, candidate.StartsWith('+') ? null : NationalRegion);
            return s_util.Value.IsValidNumber(number);
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
