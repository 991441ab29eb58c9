using System.Net;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Egress;

/// <summary>
/// Decides a request and finds the address to connect to (DESIGN §8): a name is resolved once; when CIDR rules exist the
/// decision is taken again with that address so a CIDR rule can match (and exempt) the name; the connection then goes to it.
/// </summary>
public static class EgressDestinationDecision
{
    /// <summary>The decision and the checked address (null: a name that did not resolve, or a denied name that was not resolved).</summary>
    public static async Task<(EgressDecision Decision, IPAddress? Address)> DecideAsync(EgressRuleSet rules, EgressCaller caller, ProxyRequest request,
        DateTimeOffset now, TimeSpan resolveTimeout, CancellationToken ct)
    {
        EgressDecision decision = rules.Decide(caller, request.Host, request.Ip, request.Port, now);
        if (request.Ip is not null)
        {
            return (decision, request.Ip);
        }

        // A denied name is not looked up unless a CIDR rule might still allow it: no DNS query for what policy refuses anyway.
        if (!decision.IsAllowed && !rules.HasCidrRules)
        {
            return (decision, null);
        }

        IPAddress? address = await EgressConnector.ResolveAsync(request.Host, resolveTimeout, ct);
        if (address is not null && rules.HasCidrRules)
        {
            decision = rules.Decide(caller, request.Host, null, request.Port, now, resolved: address);
        }

        return (decision, address);
    }
}
