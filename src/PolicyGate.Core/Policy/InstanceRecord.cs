namespace PolicyGate.Core.Policy;

/// <summary>A registered instance as the registry and the edge see it (immutable).</summary>
public sealed record InstanceRecord
{
    public required string InstanceId { get; init; }
    public required string AppId { get; init; }
    public string TenantId { get; init; } = "default";
    /// <summary>Host name or IP literal the edge connects to.</summary>
    public required string Address { get; init; }
    public string? AgentUrl { get; init; }
    public string? ComposeHash { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    /// <summary>Policy the instance reported (registration or lazy fetch); null when none is known.</summary>
    public PortPolicy? InstanceReported { get; init; }
    /// <summary>Operator override; wins over <see cref="InstanceReported"/>.</summary>
    public PortPolicy? AdminOverride { get; init; }

    /// <summary>The active signed bundle's port override (DESIGN §9): it takes the admin-override layer; never stored.</summary>
    public PortPolicy? BundleOverride { get; init; }

    /// <summary>The admin-override layer: the bundle's override when one names this instance, else the operator's.</summary>
    public PortPolicy? EffectiveOverride => BundleOverride ?? AdminOverride;

    public PortPolicy? Effective => EffectiveOverride ?? InstanceReported;

    /// <summary>"admin" | "instance" | "none".</summary>
    public string EffectiveSource => EffectiveOverride is not null ? "admin" : InstanceReported is not null ? "instance" : "none";

    /// <summary>The pure decision the edge calls per candidate.</summary>
    public PortDecision Decide(int port)
    {
        PortPolicy? effective = Effective;
        if (effective is null)
        {
            return PortDecision.Unknown;
        }

        if (!effective.IsAllowed(port))
        {
            return PortDecision.Deny("port_policy");
        }

        PortRule? rule = effective.Find(port);
        return PortDecision.Allow(rule?.Pp ?? false, rule?.Protocol);
    }

    /// <summary>Whether a PROXY header is written to the backend for this port.</summary>
    public bool SendProxyHeader(int port) => Decide(port) is { IsAllowed: true, SendProxyHeader: true };
}
