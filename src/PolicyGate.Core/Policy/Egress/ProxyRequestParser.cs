using System.Net;
using System.Text;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>
/// Strict HTTP/1.1 forward-proxy request-head parser (CONNECT authority-form, absolute-form http://). Never throws on bad input:
/// returns the request or a precise error.
/// </summary>
public static class ProxyRequestParser
{
    public const int MaxRequestLine = 8192;
    public const int MaxHeadBytes = 16 * 1024;
    public const int MaxHeaders = 100;

    private static readonly string[] s_hopByHop =
        ["connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade"];

    /// <summary>Parses a head ending with CRLF CRLF (the terminator included).</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out ProxyRequest request, out ProxyRequestError error)
    {
        request = null!;
        error = null!;
        if (head.Length > MaxHeadBytes)
        {
            error = new ProxyRequestError(431, "request header too large");
            return false;
        }

        if (head.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0 || head.IndexOf((byte)0) >= 0)
        {
            error = new ProxyRequestError(400, "request head contains non-ASCII or NUL bytes");
            return false;
        }

        string text = Encoding.ASCII.GetString(head);
        int lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (lineEnd < 0)
        {
            error = new ProxyRequestError(400, "request line is not terminated by CRLF");
            return false;
        }

        if (lineEnd > MaxRequestLine)
        {
            error = new ProxyRequestError(414, "request line too long");
            return false;
        }

        if (!TryParseRequestLine(text[..lineEnd], out string method, out string target, out error)
            || !TryParseHeaders(text[(lineEnd + 2)..], out List<KeyValuePair<string, string>> headers, out error)
            || !TryProxyUser(headers, out string? user, out string? password, out error))
        {
            return false;
        }

        bool ok = method == "CONNECT"
            ? TryConnectTarget(target, out request, out error)
            : TryAbsoluteTarget(method, target, out request, out error);
        if (!ok)
        {
            return false;
        }

        if (request.Kind == ProxyRequestKind.AbsoluteHttp && Has(headers, "content-length") && Has(headers, "transfer-encoding"))
        {
            error = new ProxyRequestError(400, "both Content-Length and Transfer-Encoding");
            return false;
        }

        request = request with { Headers = headers, ProxyUser = user, ProxyPassword = password };
        return true;
    }

    /// <summary>The head forwarded to an origin: origin-form target, Host set, hop-by-hop headers dropped, Connection: close.</summary>
    public static byte[] OriginHead(ProxyRequest request)
    {
        HashSet<string> drop = new(s_hopByHop, StringComparer.OrdinalIgnoreCase) { "host" };
        foreach (KeyValuePair<string, string> h in request.Headers)
        {
            if (h.Key.Equals("connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (string token in h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    drop.Add(token);
                }
            }
        }

        StringBuilder sb = new();
        sb.Append(request.Method).Append(' ').Append(request.PathAndQuery).Append(" HTTP/1.1\r\n");
        sb.Append("Host: ").Append(request.Authority).Append("\r\n");
        foreach (KeyValuePair<string, string> h in request.Headers)
        {
            if (!drop.Contains(h.Key))
            {
                sb.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            }
        }

        sb.Append("Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static bool TryParseRequestLine(string line, out string method, out string target, out ProxyRequestError error)
    {
        method = target = "";
        error = null!;
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            error = new ProxyRequestError(400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)");
            return false;
        }

        if (!IsToken(parts[0]))
        {
            error = new ProxyRequestError(400, "malformed request method");
            return false;
        }

        if (parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            error = new ProxyRequestError(400, $"unsupported protocol version '{parts[2]}' (HTTP/1.1 or HTTP/1.0)");
            return false;
        }

        method = parts[0];
        target = parts[1];
        return true;
    }

    private static bool TryParseHeaders(string block, out List<KeyValuePair<string, string>> headers, out ProxyRequestError error)
    {
        headers = [];
        error = null!;
        foreach (string line in block.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                error = new ProxyRequestError(400, "obsolete header line folding is not accepted");
                return false;
            }

            int colon = line.IndexOf(':');
            if (colon <= 0 || !IsToken(line[..colon]) || line.Contains('\r') || line.Contains('\n'))
            {
                error = new ProxyRequestError(400, "malformed header line");
                return false;
            }

            if (headers.Count == MaxHeaders)
            {
                error = new ProxyRequestError(431, $"more than {MaxHeaders} header lines");
                return false;
            }

            headers.Add(new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        return true;
    }

    private static bool TryProxyUser(List<KeyValuePair<string, string>> headers, out string? user, out string? password, out ProxyRequestError error)
    {
        user = null;
        password = null;
        error = null!;
        string? value = headers.FirstOrDefault(h => h.Key.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)).Value;
        if (value is null)
        {
            return true;
        }

        const string Basic = "Basic ";
        Span<byte> decoded = stackalloc byte[512];
        if (!value.StartsWith(Basic, StringComparison.OrdinalIgnoreCase)
            || !Convert.TryFromBase64String(value[Basic.Length..].Trim(), decoded, out int length))
        {
            error = new ProxyRequestError(400, "malformed Proxy-Authorization (expected Basic base64(user:password))");
            return false;
        }

        string credentials = Encoding.UTF8.GetString(decoded[..length]);
        int colon = credentials.IndexOf(':');
        string name = colon < 0 ? credentials : credentials[..colon];
        if (name.Length == 0 || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            error = new ProxyRequestError(400, "malformed Proxy-Authorization user name");
            return false;
        }

        user = name;
        password = colon < 0 ? "" : credentials[(colon + 1)..];
        return true;
    }

    private static bool TryConnectTarget(string target, out ProxyRequest request, out ProxyRequestError error)
    {
        request = null!;
        if (!TryAuthority(target, 443, out string host, out IPAddress? ip, out int port, out string why))
        {
            error = new ProxyRequestError(400, $"bad CONNECT target '{target}': {why}");
            return false;
        }

        error = null!;
        request = new ProxyRequest { Kind = ProxyRequestKind.Connect, Method = "CONNECT", Host = host, Ip = ip, Port = port };
        return true;
    }

    private static bool TryAbsoluteTarget(string method, string target, out ProxyRequest request, out ProxyRequestError error)
    {
        request = null!;
        const string Http = "http://";
        if (target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            error = new ProxyRequestError(400, "https:// targets must use CONNECT");
            return false;
        }

        if (!target.StartsWith(Http, StringComparison.OrdinalIgnoreCase))
        {
            error = new ProxyRequestError(400, "only CONNECT host:port and absolute-form http:// requests are proxied");
            return false;
        }

        string rest = target[Http.Length..];
        int end = rest.IndexOfAny(['/', '?', '#']);
        string authority = end < 0 ? rest : rest[..end];
        string path = end < 0 ? "/" : rest[end..];
        int fragment = path.IndexOf('#');
        if (fragment >= 0)
        {
            path = path[..fragment];
        }

        if (path.StartsWith('?'))
        {
            path = "/" + path;
        }

        if (authority.Contains('@'))
        {
            error = new ProxyRequestError(400, $"bad request target '{target}': user info is not accepted");
            return false;
        }

        if (!TryAuthority(authority, 80, out string host, out IPAddress? ip, out int port, out string why))
        {
            error = new ProxyRequestError(400, $"bad request target '{target}': {why}");
            return false;
        }

        error = null!;
        request = new ProxyRequest { Kind = ProxyRequestKind.AbsoluteHttp, Method = method, Host = host, Ip = ip, Port = port, PathAndQuery = path };
        return true;
    }

    /// <summary>host[:port] or [v6][:port]; port 1..65535, default <paramref name="defaultPort"/>.</summary>
    public static bool TryAuthority(string authority, int defaultPort, out string host, out IPAddress? ip, out int port, out string error)
    {
        host = "";
        ip = null;
        port = defaultPort;
        string hostText;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0)
            {
                error = "unclosed [ in IPv6 literal";
                return false;
            }

            hostText = authority[..(close + 1)];
            string after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = "unexpected characters after IPv6 literal";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            int colon = authority.IndexOf(':');
            if (colon >= 0 && authority.IndexOf(':', colon + 1) >= 0)
            {
                error = "IPv6 literals must be bracketed";
                return false;
            }

            hostText = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (portText is not null && !TryPort(portText, out port, out error))
        {
            return false;
        }

        return EgressHost.TryNormalize(hostText, out host, out ip, out error);
    }

    /// <summary>A decimal port 1..65535, or a precise error.</summary>
    public static bool TryPort(string text, out int port, out string error)
    {
        port = 0;
        error = "";
        if (text.Length == 0 || text.Length > 5 || !text.All(char.IsAsciiDigit))
        {
            error = text.Length == 0 ? "empty port" : $"port '{(text.Length > 20 ? text[..20] + "…" : text)}' is not a number in 1..65535";
            return false;
        }

        port = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535)
        {
            error = $"port {port} out of range";
            return false;
        }

        return true;
    }

    private static bool Has(List<KeyValuePair<string, string>> headers, string name) =>
        headers.Exists(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static bool IsToken(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
