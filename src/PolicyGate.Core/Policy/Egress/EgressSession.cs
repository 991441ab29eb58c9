namespace PolicyGate.Core.Policy.Egress;

/// <summary>An agent session: its rules count while it is live and is the newest live session of its container.</summary>
public sealed record EgressSession
{
    public required string SessionId { get; init; }
    public required string Container { get; init; }
    public bool AllowAll { get; init; }
    public int TtlSeconds { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Insertion order; breaks ties between sessions created at the same instant (later insert wins).</summary>
    public long Sequence { get; init; }

    public bool IsLive(DateTimeOffset now) => ExpiresAt > now;
}
