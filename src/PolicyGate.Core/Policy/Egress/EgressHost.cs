using System.Net;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>Normalises destination hosts (lower case, no trailing dot, canonical IP literals) and validates host names.</summary>
public static class EgressHost
{
    /// <summary>Normalises a host name or IP literal (`[::1]` accepted); false with an error for anything else.</summary>
    public static bool TryNormalize(string? text, out string host, out IPAddress? ip, out string error)
    {
        host = "";
        ip = null;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "host is empty";
            return false;
        }

        string value = text;
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            value = value[1..^1];
            if (!IPAddress.TryParse(value, out ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"'{text}' is not an IPv6 literal";
                return false;
            }
        }
        else if (value.Contains(':'))
        {
            if (!IPAddress.TryParse(value, out ip) || value.Contains('%'))
            {
                error = $"'{text}' is not a host name or IP address";
                return false;
            }
        }
        else if (LooksLikeIPv4(value))
        {
            if (!IPAddress.TryParse(value, out ip) || value.Count(c => c == '.') != 3)
            {
                error = $"'{text}' is not a valid IPv4 address";
                return false;
            }
        }

        if (ip is not null)
        {
            host = ip.ToString();
            return true;
        }

        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        if (!IsHostName(value))
        {
            error = $"'{text}' is not a valid host name";
            return false;
        }

        host = value.ToLowerInvariant();
        return true;
    }

    /// <summary>Letters, digits, '-', '_' in dot-separated labels of 1..63 characters, at most 253 in all.</summary>
    public static bool IsHostName(string value)
    {
        if (value.Length is 0 or > 253)
        {
            return false;
        }

        int labelLength = 0;
        foreach (char c in value)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
                continue;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || ++labelLength > 63)
            {
                return false;
            }
        }

        return labelLength > 0;
    }

    private static bool LooksLikeIPv4(string value) => value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c == '.');
}
