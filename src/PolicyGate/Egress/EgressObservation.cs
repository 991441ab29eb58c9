namespace PolicyGate.Egress;

/// <summary>A destination seen by the proxy: learned (allowed in learn mode) or pending (denied by strict default).</summary>
public sealed record EgressObservation(bool Learned, string Container, string Host, int Port, DateTimeOffset At);
