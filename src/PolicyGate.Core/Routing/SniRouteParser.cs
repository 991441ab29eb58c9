using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PolicyGate.Core.Routing;

/// <summary>Parses `&lt;id&gt;[-&lt;part&gt;].&lt;base_domain&gt;` SNI host names into routes (DESIGN §4.3); never throws.</summary>
/// <remarks>
/// Choices beyond DESIGN: an empty part (`myapp-`) takes the defaults like no part; ports must be plain digits
/// without a leading zero (one spelling per route); only one DNS label before the base domain; ids are [a-z0-9_] (the registry's id rule).
/// </remarks>
public static class SniRouteParser
{
    private const int MaxHostLength = 253;
    private const int MaxLabelLength = 63;
    private const int DefaultPort = 80;
    private const int DefaultPassthroughPort = 443;

    private static readonly SearchValues<char> s_idChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <summary>Parses <paramref name="host"/>; false with a precise <paramref name="error"/> when it is not a valid route.</summary>
    public static bool TryParse(string host, string baseDomain, [MaybeNullWhen(false)] out SniRoute route, out string error)
    {
        route = null;
        if (string.IsNullOrEmpty(host))
        {
            error = "empty host name";
            return false;
        }
        if (host.Length > MaxHostLength + 1)
        {
            error = $"host name longer than {MaxHostLength} characters";
            return false;
        }
        if (!TryExtractLabel(host, baseDomain, out ReadOnlySpan<char> label, out error))
        {
            return false;
        }
        return TryParseLabel(host, label, out route, out error);
    }

    private static bool TryExtractLabel(string host, string baseDomain, out ReadOnlySpan<char> label, out string error)
    {
        label = default;
        ReadOnlySpan<char> name = TrimOneDot(host);
        ReadOnlySpan<char> suffix = TrimOneDot(baseDomain ?? string.Empty);
        if (suffix.IsEmpty)
        {
            error = "base domain is empty";
            return false;
        }
        if (name.Equals(suffix, StringComparison.OrdinalIgnoreCase) || name.StartsWith('.'))
        {
            error = $"host '{host}' has an empty label before base domain '{suffix}'";
            return false;
        }
        // name must be "<label>.<suffix>", compared case-insensitively.
        if (name.Length < suffix.Length + 2
            || name[name.Length - suffix.Length - 1] != '.'
            || !name[^suffix.Length..].Equals(suffix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"host '{host}' is not under base domain '{suffix}'";
            return false;
        }
        label = name[..(name.Length - suffix.Length - 1)];
        if (label.Contains('.'))
        {
            error = $"host '{host}' has more than one label before base domain '{suffix}'";
            return false;
        }
        if (label.Length > MaxLabelLength)
        {
            error = $"label of host '{host}' is longer than {MaxLabelLength} characters";
            return false;
        }
        error = string.Empty;
        return true;
    }

    private static bool TryParseLabel(string host, ReadOnlySpan<char> label, [MaybeNullWhen(false)] out SniRoute route, out string error)
    {
        route = null;
        int dash = label.IndexOf('-');
        ReadOnlySpan<char> id = dash < 0 ? label : label[..dash];
        ReadOnlySpan<char> part = dash < 0 ? [] : label[(dash + 1)..];
        if (part.Contains('-'))
        {
            error = $"label of host '{host}' has more than two '-' separated parts";
            return false;
        }
        if (id.IsEmpty)
        {
            error = $"label of host '{host}' has an empty id";
            return false;
        }
        if (id.ContainsAnyExcept(s_idChars))
        {
            error = $"id '{id}' of host '{host}' has a character other than a-z, 0-9, '_'";
            return false;
        }
        if (!TryParsePart(host, part, out int port, out bool passthrough, out bool http2, out error))
        {
            return false;
        }
        route = new SniRoute(id.ToString().ToLowerInvariant(), port, passthrough, http2);
        return true;
    }

    private static bool TryParsePart(string host, ReadOnlySpan<char> part, out int port, out bool passthrough, out bool http2, out string error)
    {
        port = 0;
        http2 = EndsWithLetter(part, 'g');
        if (http2)
        {
            part = part[..^1];
        }
        passthrough = EndsWithLetter(part, 's');
        if (passthrough)
        {
            part = part[..^1];
        }
        if (http2 && passthrough)
        {
            error = $"host '{host}' combines passthrough 's' and HTTP/2 'g' (sg)";
            return false;
        }
        if (part.IsEmpty)
        {
            port = passthrough ? DefaultPassthroughPort : DefaultPort;
            error = string.Empty;
            return true;
        }
        if (part.ContainsAnyExceptInRange('0', '9'))
        {
            error = $"port '{part}' of host '{host}' is not a number";
            return false;
        }
        if (part[0] == '0' || part.Length > 5 || (port = int.Parse(part, CultureInfo.InvariantCulture)) > 65535)
        {
            error = part[0] == '0' && part.Length > 1
                ? $"port '{part}' of host '{host}' has a leading zero"
                : $"port '{part}' of host '{host}' is outside 1..65535";
            return false;
        }
        error = string.Empty;
        return true;
    }

    private static bool EndsWithLetter(ReadOnlySpan<char> part, char lower) =>
        !part.IsEmpty && (part[^1] | 0x20) == lower;

    private static ReadOnlySpan<char> TrimOneDot(string value) =>
        value.EndsWith('.') ? value.AsSpan(0, value.Length - 1) : value.AsSpan();
}
