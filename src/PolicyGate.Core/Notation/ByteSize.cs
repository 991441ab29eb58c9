namespace PolicyGate.Core.Notation;

/// <summary>The one size grammar of config and tenant files: a positive whole number and a binary unit (`512B`, `64KiB`, `8MiB`, `1GiB`).</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Scale)[] s_units =
    [
        ("GiB", 1L << 30),
        ("MiB", 1L << 20),
        ("KiB", 1L << 10),
        ("B", 1),
    ];

    /// <summary>Parses a size; <paramref name="error"/> is one line naming the value and the accepted form.</summary>
    public static bool TryParse(string text, out long bytes, out string error)
    {
        bool ok = UnitNotation.TryParse(text, s_units, long.MaxValue, out bytes, out error);
        error = ok || error.Length > 0 ? error : $"'{text}' is not a size (use a whole number with B, KiB, MiB or GiB, e.g. 64KiB, 8MiB)";
        return ok;
    }

    /// <summary>The largest exact unit, e.g. 65536 → `64KiB`.</summary>
    public static string Format(long bytes) => UnitNotation.Format(bytes, s_units);
}
