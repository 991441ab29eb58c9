namespace PolicyGate.Core.Inspection.Tenants;

/// <summary>Matches a Content-Type header value against patterns like `text/*`, `application/json`, `application/*+json`.</summary>
public static class ContentTypeMatcher
{
    public static bool Matches(IReadOnlyList<string> patterns, string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        ReadOnlySpan<char> mediaType = contentType.AsSpan();
        int semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        int slash = mediaType.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> type = mediaType[..slash];
        ReadOnlySpan<char> subtype = mediaType[(slash + 1)..];
        foreach (string pattern in patterns)
        {
            if (MatchesOne(pattern, type, subtype))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesOne(string pattern, ReadOnlySpan<char> type, ReadOnlySpan<char> subtype)
    {
        int slash = pattern.IndexOf('/');
        ReadOnlySpan<char> patternType = pattern.AsSpan(0, slash);
        ReadOnlySpan<char> patternSubtype = pattern.AsSpan(slash + 1);
        if (!patternType.Equals(type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (patternSubtype is "*")
        {
            return true;
        }

        if (patternSubtype.StartsWith("*+"))
        {
            return subtype.EndsWith(patternSubtype[1..], StringComparison.OrdinalIgnoreCase);
        }

        return patternSubtype.Equals(subtype, StringComparison.OrdinalIgnoreCase);
    }
}
