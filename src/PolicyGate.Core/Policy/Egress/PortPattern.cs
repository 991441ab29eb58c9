namespace PolicyGate.Core.Policy.Egress;

/// <summary>A rule's port: `*`, `443`, `80,443`, `8000-9000` (lists may mix ranges); an invalid pattern matches nothing.</summary>
public sealed class PortPattern
{
    private readonly (int Low, int High)[] _ranges;

    private PortPattern((int Low, int High)[] ranges, bool isAny)
    {
        _ranges = ranges;
        IsAny = isAny;
    }

    public static PortPattern Any { get; } = new([], isAny: true);

    /// <summary>The pattern that matches no port (what an invalid pattern becomes).</summary>
    public static PortPattern None { get; } = new([], isAny: false);

    public bool IsAny { get; }

    /// <summary>Parses a pattern, or returns <see cref="None"/> with a precise error.</summary>
    public static PortPattern Parse(string? text, out string? error)
    {
        error = null;
        if (text == "*")
        {
            return Any;
        }

        if (string.IsNullOrEmpty(text))
        {
            error = "port is empty";
            return None;
        }

        List<(int, int)> ranges = [];
        foreach (string part in text.Split(','))
        {
            int dash = part.IndexOf('-');
            string lowText = dash < 0 ? part : part[..dash];
            string highText = dash < 0 ? part : part[(dash + 1)..];
            if (!TryPort(lowText, out int low, ref error) || !TryPort(highText, out int high, ref error))
            {
                return None;
            }

            if (low > high)
            {
                error = $"port range {part} is reversed";
                return None;
            }

            ranges.Add((low, high));
        }

        return new PortPattern(ranges.ToArray(), isAny: false);
    }

    public bool Matches(int port)
    {
        if (IsAny)
        {
            return true;
        }

        foreach ((int low, int high) in _ranges)
        {
            if (port >= low && port <= high)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryPort(string text, out int port, ref string? error)
    {
        if (ProxyRequestParser.TryPort(text, out port, out string why))
        {
            return true;
        }

        error = why;
        return false;
    }
}
