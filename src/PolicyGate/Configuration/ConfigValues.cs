using System.Globalization;
using System.Net;
using PolicyGate.Core.Notation;

namespace PolicyGate.Configuration;

/// <summary>Parses and formats the config's scalar notations (durations, sizes, CIDRs); never throws on bad input.</summary>
public static class ConfigValues
{
    private static readonly (string Suffix, long Ticks)[] s_durationUnits =
    [
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses `500ms`, `5s`, `10m`, `5h` (a positive whole number and a unit).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string error)
    {
        bool ok = UnitNotation.TryParse(text, s_durationUnits, TimeSpan.MaxValue.Ticks, out long ticks, out error);
        value = TimeSpan.FromTicks(ticks);
        error = ok || error.Length > 0 ? error : $"'{text}' is not a duration (use a whole number with ms, s, m or h, e.g. 500ms, 5s, 10m, 5h)";
        return ok;
    }

    /// <summary>Parses `64KiB`, `8MiB`, `1GiB`, `512B` (binary units; the grammar tenant files share).</summary>
    public static bool TryParseSize(string text, out long value, out string error) => ByteSize.TryParse(text, out value, out error);

    /// <summary>Parses `10.0.0.0/8` or `::1/128` (host bits must be zero).</summary>
    public static bool TryParseCidr(string text, out IPNetwork network, out string error)
    {
        error = "";
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IPNetwork.TryParse(text, out network)
            && IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? address) && address.Equals(network.BaseAddress))
        {
            return true;
        }

        network = default;
        error = $"'{text}' is not a CIDR range (e.g. 10.0.0.0/8 or ::1/128; host bits must be zero)";
        return false;
    }

    /// <summary>The shortest exact notation, e.g. 90 s → `90s`, 5 min → `5m`.</summary>
    public static string FormatDuration(TimeSpan value)
    {
        long ticks = value.Ticks;
        for (int i = s_durationUnits.Length - 1; i >= 0; i--)
        {
            (string suffix, long unit) = s_durationUnits[i];
            if (ticks % unit == 0)
            {
                return (ticks / unit).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>The largest exact unit, e.g. 65536 → `64KiB`.</summary>
    public static string FormatSize(long bytes) => ByteSize.Format(bytes);
}
