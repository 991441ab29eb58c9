using System.Collections.Frozen;
using System.Net;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>One layer's rules indexed by exact destination and by domain suffix, so a decision looks at few rules even with thousands.</summary>
public sealed class EgressRuleIndex
{
    private readonly FrozenDictionary<string, CompiledEgressRule[]> _exact;
    private readonly FrozenDictionary<string, CompiledEgressRule[]> _domains;
    private readonly CompiledEgressRule[] _any;
    private readonly FrozenDictionary<long, CompiledEgressRule[]> _cidrs;

    public EgressRuleIndex(IEnumerable<CompiledEgressRule> rules)
    {
        CompiledEgressRule[] all = rules.ToArray();
        _exact = Group(all.Where(r => r.Destination.Kind == DestinationKind.Exact));
        _domains = Group(all.Where(r => r.Destination.Kind is DestinationKind.DomainAndSubdomains or DestinationKind.Subdomains));
        _any = all.Where(r => r.Destination.Kind == DestinationKind.Any).ToArray();
        _cidrs = all.Where(r => r.Destination.Kind == DestinationKind.Cidr).GroupBy(r => r.Destination.CidrBucket)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray());
        Count = all.Length;
    }

    public static EgressRuleIndex Empty { get; } = new([]);

    public int Count { get; }

    /// <summary>True when some rule's destination is a CIDR (a name must then be resolved before deciding).</summary>
    public bool HasCidrs => _cidrs.Count > 0;

    /// <summary>The best live matching rule (specificity, then deny, then id), or null.</summary>
    /// <remarks><paramref name="resolved"/>: the checked address of a name; CIDR rules match a name through it (DESIGN §8).</remarks>
    public CompiledEgressRule? Best(EgressCaller caller, string host, IPAddress? ip, int port, DateTimeOffset now, Func<EgressRule, bool>? accept = null,
        IPAddress? resolved = null)
    {
        CompiledEgressRule? best = null;
        if (Count == 0)
        {
            return null;
        }

        if (_exact.TryGetValue(host, out CompiledEgressRule[]? exact))
        {
            Consider(exact, caller, host, ip, port, now, accept, ref best);
        }

        if (ip is null && _domains.Count > 0)
        {
            // Walk the host and each parent domain: a.b.c → a.b.c, b.c, c.
            string suffix = host;
            while (true)
            {
                if (_domains.TryGetValue(suffix, out CompiledEgressRule[]? domain))
                {
                    Consider(domain, caller, host, ip, port, now, accept, ref best);
                }

                int dot = suffix.IndexOf('.');
                if (dot < 0)
                {
                    break;
                }

                suffix = suffix[(dot + 1)..];
            }
        }

        if ((ip ?? resolved) is { } address && _cidrs.Count > 0)
        {
            // IPv4 CIDRs are bucketed by their network truncated to /24, /16 or /8; the rest share bucket -1.
            Span<long> buckets = [0, 0, 0, -1];
            DestinationPattern.BucketsOf(address, buckets);
            foreach (long key in buckets)
            {
                if (_cidrs.TryGetValue(key, out CompiledEgressRule[]? bucket))
                {
                    Consider(bucket, caller, host, address, port, now, accept, ref best);
                }
            }
        }

        Consider(_any, caller, host, ip, port, now, accept, ref best);
        return best;
    }

    private static void Consider(CompiledEgressRule[] rules, EgressCaller caller, string host, IPAddress? ip, int port, DateTimeOffset now,
        Func<EgressRule, bool>? accept, ref CompiledEgressRule? best)
    {
        foreach (CompiledEgressRule rule in rules)
        {
            if ((best is null || rule.Beats(best))
                && rule.Port.Matches(port)
                && rule.Rule.IsLive(now)
                && rule.Destination.Matches(host, ip)
                && rule.Container.Matches(caller)
                && (accept is null || accept(rule.Rule)))
            {
                best = rule;
            }
        }
    }

    private static FrozenDictionary<string, CompiledEgressRule[]> Group(IEnumerable<CompiledEgressRule> rules) =>
        rules.GroupBy(r => r.Destination.Value, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
}
