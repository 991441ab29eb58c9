using System.Globalization;

namespace PolicyGate.Core.Inspection.Tenants;

/// <summary>Parses sizes such as `64KiB`, `8MiB`, `1GiB`, `500KB`, `4096` (bytes); never throws.</summary>
public static class SizeParser
{
    private static readonly (string Suffix, long Factor)[] s_units =
    [
        ("KiB", 1024L), ("MiB", 1024L * 1024), ("GiB", 1024L * 1024 * 1024),
        ("KB", 1000L), ("MB", 1000L * 1000), ("GB", 1000L * 1000 * 1000), ("B", 1L),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        long factor = 1;
        foreach ((string suffix, long unit) in s_units)
        {
            if (span.EndsWith(suffix, StringComparison.Ordinal))
            {
                span = span[..^suffix.Length].TrimEnd();
                factor = unit;
                break;
            }
        }

        if (!long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > long.MaxValue / factor)
        {
            return false;
        }

        bytes = number * factor;
        return true;
    }
}
