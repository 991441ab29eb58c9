using System.Collections.Frozen;
using System.Net;

namespace PolicyGate.Core.Policy.Egress;

/// <summary>
/// Immutable snapshot of every egress rule, session and container mode; <see cref="Decide"/> is the pure layered decision
/// (global &gt; session &gt; builtin &gt; default). Rebuilt on change and swapped atomically.
/// </summary>
public sealed class EgressRuleSet
{
    private readonly EgressRuleIndex _global;
    private readonly EgressRuleIndex _session;
    private readonly EgressRuleIndex _builtin;
    private readonly (ContainerPattern Pattern, EgressSession[] Sessions)[] _sessionGroups;
    private readonly FrozenDictionary<string, EgressMode> _modes;

    public EgressRuleSet(IEnumerable<EgressRule> rules, IEnumerable<EgressSession> sessions, IReadOnlyDictionary<string, EgressMode> modes,
        EgressMode defaultMode, bool builtinLoopback)
    {
        EgressRule[] all = rules.ToArray();
        Rules = all;
        Sessions = sessions.ToArray();
        DefaultMode = defaultMode;
        _global = new EgressRuleIndex(Compile(all.Where(r => r.SessionId is null)));
        _session = new EgressRuleIndex(Compile(all.Where(r => r.SessionId is not null)));
        Builtin = builtinLoopback ? LoopbackRules : [];
        _builtin = new EgressRuleIndex(Compile(Builtin));
        _modes = modes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _sessionGroups = Sessions.GroupBy(s => s.Container, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Sequence).ToArray())
            .Select(g => ContainerPattern.TryParse(g[0].Container, out ContainerPattern p, out _) ? (p, g) : (null!, g))
            .Where(g => g.Item1 is not null).ToArray();
    }

    /// <summary>The builtin layer's loopback allow rules (127.0.0.1, ::1, localhost).</summary>
    public static IReadOnlyList<EgressRule> LoopbackRules { get; } =
    [
        new EgressRule { Id = "builtin-loopback-v4", Destination = "127.0.0.1", Source = EgressLayers.Builtin, CreatedBy = "builtin", Notes = "loopback" },
        new EgressRule { Id = "builtin-loopback-v6", Destination = "::1", Source = EgressLayers.Builtin, CreatedBy = "builtin", Notes = "loopback" },
        new EgressRule { Id = "builtin-localhost", Destination = "localhost", Source = EgressLayers.Builtin, CreatedBy = "builtin", Notes = "loopback" },
    ];

    /// <summary>No stored rules, strict, builtin loopback on.</summary>
    public static EgressRuleSet Empty => new([], [], new Dictionary<string, EgressMode>(), EgressMode.Strict, builtinLoopback: true);

    /// <summary>Stored rules (global and session).</summary>
    public IReadOnlyList<EgressRule> Rules { get; }

    public IReadOnlyList<EgressRule> Builtin { get; }

    public IReadOnlyList<EgressSession> Sessions { get; }

    public EgressMode DefaultMode { get; }

    /// <summary>True when a CIDR rule exists in any layer: a name's decision then depends on what it resolves to.</summary>
    public bool HasCidrRules => _global.HasCidrs || _session.HasCidrs || _builtin.HasCidrs;

    /// <summary>The container's mode: set for its instance id, else for its app id, else the default.</summary>
    public EgressMode ModeOf(EgressCaller caller)
    {
        if (_modes.TryGetValue(caller.Name, out EgressMode mode))
        {
            return mode;
        }

        return caller.AppId is not null && _modes.TryGetValue(caller.AppId, out mode) ? mode : DefaultMode;
    }

    /// <summary>The mode explicitly set for a container key, or the default.</summary>
    public EgressMode ModeOf(string container) => _modes.TryGetValue(container, out EgressMode mode) ? mode : DefaultMode;

    /// <summary>The live sessions whose rules count for this caller: per matching container, the newest live one.</summary>
    public IReadOnlyList<EgressSession> ActiveSessions(EgressCaller caller, DateTimeOffset now)
    {
        List<EgressSession>? active = null;
        foreach ((ContainerPattern pattern, EgressSession[] sessions) in _sessionGroups)
        {
            if (!pattern.Matches(caller))
            {
                continue;
            }

            foreach (EgressSession session in sessions)
            {
                if (session.IsLive(now))
                {
                    (active ??= []).Add(session);
                    break;
                }
            }
        }

        return (IReadOnlyList<EgressSession>?)active ?? [];
    }

    /// <summary>Decides one connection of <paramref name="caller"/> to a normalised host (IP literal → <paramref name="ip"/>) and port.</summary>
    /// <remarks><paramref name="resolved"/>: the address a name resolved to and will be connected to; CIDR rules match the name through it.</remarks>
    public EgressDecision Decide(EgressCaller caller, string host, IPAddress? ip, int port, DateTimeOffset now, IPAddress? resolved = null)
    {
        CompiledEgressRule? rule = _global.Best(caller, host, ip, port, now, resolved: resolved);
        if (rule is not null)
        {
            return new EgressDecision(rule.Rule.Action, EgressLayers.Global, "rule", rule);
        }

        IReadOnlyList<EgressSession> active = _sessionGroups.Length == 0 ? [] : ActiveSessions(caller, now);
        if (active.Count > 0)
        {
            foreach (EgressSession session in active)
            {
                if (session.AllowAll)
                {
                    return new EgressDecision(EgressAction.Allow, EgressLayers.AllowAll, "session " + session.SessionId,
                        NamingRule: _builtin.Best(caller, host, ip, port, now, resolved: resolved));
                }
            }

            rule = _session.Best(caller, host, ip, port, now, r => IsActive(active, r.SessionId), resolved);
            if (rule is not null)
            {
                return new EgressDecision(rule.Rule.Action, EgressLayers.Session, "rule", rule);
            }
        }

        rule = _builtin.Best(caller, host, ip, port, now, resolved: resolved);
        if (rule is not null)
        {
            return new EgressDecision(rule.Rule.Action, EgressLayers.Builtin, "rule", rule);
        }

        return ModeOf(caller) == EgressMode.Learn
            ? new EgressDecision(EgressAction.Allow, EgressLayers.Learn, "learn")
            : new EgressDecision(EgressAction.Deny, EgressLayers.Default, "strict");
    }

    private static bool IsActive(IReadOnlyList<EgressSession> active, string? sessionId)
    {
        foreach (EgressSession s in active)
        {
            if (string.Equals(s.SessionId, sessionId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<CompiledEgressRule> Compile(IEnumerable<EgressRule> rules)
    {
        foreach (EgressRule rule in rules)
        {
            if (CompiledEgressRule.TryCompile(rule) is { } compiled)
            {
                yield return compiled;
            }
        }
    }
}
