namespace PolicyGate.Egress;

/// <summary>One learned or pending (container, host, port) row with its hit count and first/last sighting.</summary>
public sealed record EgressDestinationStats(string Container, string Host, int Port, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
