using System.Net;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>A parsed forward-proxy request head.</summary>
public sealed record ProxyRequest
{
    public required ProxyRequestKind Kind { get; init; }
    public required string Method { get; init; }
    /// <summary>Normalised host (lower case, no trailing dot; IP literals canonical, without brackets).</summary>
    public required string Host { get; init; }
    /// <summary>The host as an IP when it is an IP literal.</summary>
    public IPAddress? Ip { get; init; }
    public required int Port { get; init; }
    /// <summary>Origin-form target for absolute-form requests ("/" when absent).</summary>
    public string PathAndQuery { get; init; } = "/";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    /// <summary>The Proxy-Authorization Basic user name, when given.</summary>
    public string? ProxyUser { get; init; }
    /// <summary>The Proxy-Authorization Basic password (after the first ':'), when given; empty when there is none.</summary>
    public string? ProxyPassword { get; init; }

    /// <summary>host:port as written in a Host header (IPv6 bracketed; port omitted when default).</summary>
    public string Authority
    {
        get
        {
            string host = Ip is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ? "[" + Host + "]" : Host;
            int defaultPort = Kind == ProxyRequestKind.Connect ? 443 : 80;
            return Port == defaultPort ? host : host + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
