namespace PolicyGate.Core.Policy.Egress;

/// <summary>One layered network rule (DESIGN §8); a rule with a session id lives and dies with that session.</summary>
public sealed record EgressRule
{
    public required string Id { get; init; }
    public string Container { get; init; } = "*";
    public required string Destination { get; init; }
    public string Port { get; init; } = "*";
    public EgressAction Action { get; init; } = EgressAction.Allow;
    public string? SessionId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public string Notes { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>"global", "session" or "builtin".</summary>
    public string Source { get; init; } = EgressLayers.Global;

    public bool IsLive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt.Value > now;
}
