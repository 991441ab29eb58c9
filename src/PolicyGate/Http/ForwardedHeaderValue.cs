using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Http;

/// <summary>Formats the RFC 7239 `Forwarded` element (for=...;proto=https;host=...) and the X-Forwarded-For address.</summary>
public static class ForwardedHeaderValue
{
    /// <summary>The `for=` parameter: IPv4 bare, IPv6 quoted and bracketed (RFC 7239 §6).</summary>
    public static string ForParameter(IPAddress client)
    {
        IPAddress address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? "for=\"[" + address + "]\""
            : "for=" + address;
    }

    /// <summary>The client address as X-Forwarded-For carries it (v4-mapped IPv6 shown as IPv4).</summary>
    public static string ForwardedFor(IPAddress client) => (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString();

    /// <summary>The whole element for one hop; the host is quoted unless it is an RFC 7230 token.</summary>
    public static string Create(string forParameter, string host)
    {
        return IsToken(host)
            ? forParameter + ";proto=https;host=" + host
            : forParameter + ";proto=https;host=\"" + host.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    private static bool IsToken(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
