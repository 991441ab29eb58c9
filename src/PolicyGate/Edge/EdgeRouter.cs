using PolicyGate.Core.Policy;
using PolicyGate.Core.Routing;
using PolicyGate.Runtime;
using PolicyGate.Store;

namespace PolicyGate.Edge;

/// <summary>Steps 3–4 (DESIGN §4.3–4.4): SNI → route → candidates → port policy per candidate. Pure over the directory snapshot; no I/O.</summary>
internal sealed class EdgeRouter(IInstanceDirectory directory, TimeProvider time)
{
    /// <summary>Fills the route and allowed candidates of <paramref name="state"/> under its runtime config, or returns why the connection is refused.</summary>
    public EdgeDenial? Route(EdgeConnectionState state, string serverName)
    {
        EdgeRuntimeConfig edge = state.Config.Edge;
        state.Sni = serverName;
        if (!SniRouteParser.TryParse(serverName, edge.BaseDomain, out SniRoute? route, out string error))
        {
            return new EdgeDenial(EdgeConstants.ReasonUnknownRoute, error);
        }

        state.Route = route;
        state.Mode = ModeOf(route, null, edge.DefaultProtocol); // provisional, so policy denials are counted under a mode
        if (route.IsHealth)
        {
            return route is { Port: 80, Passthrough: false, Http2: false }
                ? null
                : new EdgeDenial(EdgeConstants.ReasonUnknownRoute, "the health host serves port 80 only");
        }

        IReadOnlyList<InstanceRecord> candidates = directory.Current.ResolveCandidates(
            route.Id, time.GetUtcNow(), edge.InstanceStaleAfter, edge.ConnectTopN);
        if (candidates.Count == 0)
        {
            return new EdgeDenial(EdgeConstants.ReasonUnknownRoute, $"no instance or fresh app '{route.Id}'");
        }

        List<RoutedCandidate> allowed = new(candidates.Count);
        bool anyUnknown = false;
        foreach (InstanceRecord candidate in candidates)
        {
            PortDecision decision = candidate.Decide(route.Port);
            if (decision.IsAllowed)
            {
                allowed.Add(new RoutedCandidate(candidate, decision));
            }
            else if (decision.Kind == PortDecisionKind.Unknown)
            {
                anyUnknown = true;
                directory.RequestPolicyFetch(candidate.InstanceId);
            }
        }

        if (allowed.Count == 0)
        {
            // Fail closed; "policy_unknown" when a fetch may still change the answer.
            return anyUnknown
                ? new EdgeDenial(EdgeConstants.ReasonPolicyUnknown, $"no known port policy for port {route.Port} of '{route.Id}'; fetch requested")
                : new EdgeDenial(EdgeConstants.ReasonPortPolicy, $"port {route.Port} not allowed by the port policy of '{route.Id}'");
        }

        state.Allowed = allowed;
        state.Mode = ModeOf(route, allowed[0].Decision.Protocol, edge.DefaultProtocol);
        return null;
    }

    /// <summary>`s` → passthrough; else the port's protocol (edge.default_protocol when the policy does not say): tcp or http.</summary>
    private static string ModeOf(SniRoute route, string? protocol, string defaultProtocol) => route.Passthrough
        ? EdgeConstants.ModePassthrough
        : string.Equals(protocol ?? defaultProtocol, EdgeConstants.ModeTcp, StringComparison.OrdinalIgnoreCase)
            ? EdgeConstants.ModeTcp
            : EdgeConstants.ModeHttp;
}
