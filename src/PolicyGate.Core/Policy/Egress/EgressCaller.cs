namespace PolicyGate.Core.Policy.Egress;

/// <summary>Who is connecting out: an instance id (with its app id) or another identity (Basic user, unknown-&lt;ip&gt;).</summary>
public readonly record struct EgressCaller(string Name, string? AppId = null);
