using System.Globalization;
using System.Net;

namespace PolicyGate.Load.Cli;

/// <summary>Reads <c>--name value</c> pairs and flags; collects precise errors instead of throwing.</summary>
public sealed class ArgumentReader
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ArgumentReader(IEnumerable<string> args, IReadOnlySet<string> flagNames)
    {
        using IEnumerator<string> e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                Errors.Add($"unexpected argument '{name}'");
            }
            else if (flagNames.Contains(name))
            {
                _flags.Add(name);
            }
            else if (!e.MoveNext())
            {
                Errors.Add($"{name} needs a value");
            }
            else
            {
                if (!_values.TryGetValue(name, out List<string>? list))
                {
                    _values[name] = list = [];
                }

                list.Add(e.Current);
            }
        }
    }

    public List<string> Errors { get; } = [];

    public bool Flag(string name)
    {
        _used.Add(name);
        return _flags.Contains(name);
    }

    public string? Optional(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out List<string>? list) ? list[^1] : null;
    }

    public IReadOnlyList<string> All(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out List<string>? list) ? list : [];
    }

    public string Required(string name)
    {
        string? value = Optional(name);
        if (string.IsNullOrEmpty(value))
        {
            Errors.Add($"{name} is required");
            return "";
        }

        return value;
    }

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        (string number, double scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || value * scale > 3600)
        {
            Errors.Add($"{name} {text}: expected a duration such as 500ms, 5s or 2m (at most 1h)");
            return fallback;
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    public long Long(string name, long fallback, long min, long max)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            Errors.Add($"{name} {text}: expected an integer in {min}..{max}");
            return fallback;
        }

        return value;
    }

    public double Double(string name, double fallback)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            Errors.Add($"{name} {text}: expected a number");
            return fallback;
        }

        return value;
    }

    /// <summary>Process ids given as repeated options or comma lists.</summary>
    public IReadOnlyList<int> Pids(string name)
    {
        List<int> pids = [];
        foreach (string part in All(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0)
            {
                pids.Add(pid);
            }
            else
            {
                Errors.Add($"{name} {part}: expected a process id");
            }
        }

        return pids;
    }

    public IPEndPoint? EndPoint(string name)
    {
        string text = Required(name);
        if (text.Length == 0)
        {
            return null;
        }

        if (!IPEndPoint.TryParse(text, out IPEndPoint? endPoint) || endPoint.Port == 0)
        {
            Errors.Add($"{name} {text}: expected IP:PORT");
            return null;
        }

        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            Errors.Add($"{name} {text}: only loopback targets are allowed");
            return null;
        }

        return endPoint;
    }

    /// <summary>Adds an error for every option that no one asked for.</summary>
    public void RejectUnknown()
    {
        foreach (string name in _values.Keys.Concat(_flags).Where(n => !_used.Contains(n)))
        {
            Errors.Add($"unknown option {name}");
        }
    }
}
