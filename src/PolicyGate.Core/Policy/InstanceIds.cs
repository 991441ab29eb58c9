namespace PolicyGate.Core.Policy;

/// <summary>Rules for instance and app ids: they become SNI labels, so lowercase letters, digits and '_' only.</summary>
public static class InstanceIds
{
    public const int MaxLength = 63;

    /// <summary>The special route id the edge answers itself (DESIGN §4.3).</summary>
    public const string ReservedHealthId = "health";

    /// <summary>Null when valid; else the error for <paramref name="field"/>.</summary>
    public static string? Validate(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{field}: is required";
        }

        if (value.Length > MaxLength)
        {
            return $"{field}: longer than {MaxLength} characters";
        }

        if (value == ReservedHealthId)
        {
            return $"{field}: \"{ReservedHealthId}\" is reserved (the edge answers health.<base_domain> itself)";
        }

        foreach (char c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return $"{field}: \"{value}\" may hold only a-z, 0-9 and '_' ('-' separates the port in host names)";
            }
        }

        return null;
    }
}
