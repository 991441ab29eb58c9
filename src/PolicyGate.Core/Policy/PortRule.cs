namespace PolicyGate.Core.Policy;

/// <summary>One listed port of a port policy: whether it gets a PROXY header and its protocol (null = edge.default_protocol).</summary>
public sealed record PortRule(int Port, bool Pp = false, string? Protocol = null);
