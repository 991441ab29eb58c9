using System.Net;
using System.Net.Sockets;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>A destination pattern (DESIGN §8): `*`, CIDR, `**.d`, `*.d` or an exact host / IP; case-insensitive.</summary>
public sealed class DestinationPattern
{
    private readonly IPAddress? _network;
    private readonly int _prefix;

    private DestinationPattern(DestinationKind kind, string value, IPAddress? network = null, int prefix = 0)
    {
        Kind = kind;
        Value = value;
        _network = network;
        _prefix = prefix;
    }

    public static DestinationPattern Any { get; } = new(DestinationKind.Any, "*");

    public DestinationKind Kind { get; }

    /// <summary>The normalised host, domain (without its wildcard prefix) or CIDR text.</summary>
    public string Value { get; }

    /// <summary>Exact hosts and CIDRs name their destination; `*`, `**.d` and `*.d` are wildcards.</summary>
    public bool HasWildcard => Kind is DestinationKind.Any or DestinationKind.DomainAndSubdomains or DestinationKind.Subdomains;

    /// <summary>Index bucket of a CIDR: its IPv4 network truncated to /24, /16 or /8 (the longest that fits its prefix), else -1.</summary>
    public long CidrBucket
    {
        get
        {
            if (Kind != DestinationKind.Cidr || _network!.AddressFamily != AddressFamily.InterNetwork || _prefix < 8)
            {
                return -1;
            }

            int keep = _prefix >= 24 ? 24 : _prefix >= 16 ? 16 : 8;
            return Bucket(_network, keep);
        }
    }

    /// <summary>The buckets an IP destination looks in (besides -1): its /24, /16 and /8.</summary>
    public static void BucketsOf(IPAddress ip, Span<long> buckets)
    {
        IPAddress v = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        bool v4 = v.AddressFamily == AddressFamily.InterNetwork;
        buckets[0] = v4 ? Bucket(v, 24) : -2;
        buckets[1] = v4 ? Bucket(v, 16) : -2;
        buckets[2] = v4 ? Bucket(v, 8) : -2;
    }

    private static long Bucket(IPAddress v4, int keep)
    {
        Span<byte> b = stackalloc byte[4];
        v4.TryWriteBytes(b, out _);
        uint value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        return ((long)keep << 32) | (value & (uint.MaxValue << (32 - keep)));
    }

    public override string ToString() => Kind switch
    {
        DestinationKind.DomainAndSubdomains => "**." + Value,
        DestinationKind.Subdomains => "*." + Value,
        _ => Value,
    };

    public static bool TryParse(string? text, out DestinationPattern pattern, out string error)
    {
        pattern = null!;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "destination is required";
            return false;
        }

        if (text == "*")
        {
            pattern = Any;
            return true;
        }

        if (text.StartsWith("**.", StringComparison.Ordinal) || text.StartsWith("*.", StringComparison.Ordinal))
        {
            bool both = text[1] == '*';
            string domain = text[(both ? 3 : 2)..];
            if (!EgressHost.TryNormalize(domain, out string host, out IPAddress? ip, out _) || ip is not null)
            {
                error = $"destination '{text}' is not a valid domain pattern";
                return false;
            }

            pattern = new DestinationPattern(both ? DestinationKind.DomainAndSubdomains : DestinationKind.Subdomains, host);
            return true;
        }

        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            return TryParseCidr(text, slash, out pattern, out error);
        }

        if (!EgressHost.TryNormalize(text, out string exact, out _, out string hostError))
        {
            error = "destination " + hostError;
            return false;
        }

        pattern = new DestinationPattern(DestinationKind.Exact, exact);
        return true;
    }

    /// <summary>Matches a normalised host (and its IP when the host is an IP literal).</summary>
    public bool Matches(string host, IPAddress? ip) => Kind switch
    {
        DestinationKind.Any => true,
        DestinationKind.Exact => string.Equals(Value, host, StringComparison.Ordinal),
        DestinationKind.DomainAndSubdomains => ip is null && (host == Value || IsSubdomain(host, Value)),
        DestinationKind.Subdomains => ip is null && IsSubdomain(host, Value),
        DestinationKind.Cidr => ip is not null && InNetwork(ip),
        _ => false,
    };

    private static bool IsSubdomain(string host, string domain) =>
        host.Length > domain.Length + 1 && host.EndsWith(domain, StringComparison.Ordinal) && host[^(domain.Length + 1)] == '.';

    private bool InNetwork(IPAddress ip)
    {
        IPAddress candidate = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        if (candidate.AddressFamily != _network!.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        candidate.TryWriteBytes(a, out int length);
        _network.TryWriteBytes(b, out _);
        int full = _prefix / 8;
        if (!a[..full].SequenceEqual(b[..full]))
        {
            return false;
        }

        int rest = _prefix % 8;
        if (rest == 0 || full >= length)
        {
            return true;
        }

        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (b[full] & mask);
    }

    private static bool TryParseCidr(string text, int slash, out DestinationPattern pattern, out string error)
    {
        pattern = null!;
        error = $"destination '{text}' is not a valid CIDR";
        string prefixText = text[(slash + 1)..];
        if (!IPAddress.TryParse(text[..slash], out IPAddress? network) || text[..slash].Contains('%')
            || prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit))
        {
            return false;
        }

        int prefix = int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture);
        int max = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > max)
        {
            return false;
        }

        pattern = new DestinationPattern(DestinationKind.Cidr, network + "/" + prefix, network, prefix);
        error = "";
        return true;
    }
}
