namespace PolicyGate.Acme;

/// <summary>An ACME exchange failed: the server's problem document (RFC 8555 §6.7) or what went wrong locally, in one line.</summary>
public sealed class AcmeException(string message, string? problemType = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>urn:ietf:params:acme:error:* when the server answered with a problem document.</summary>
    public string? ProblemType { get; } = problemType;
}
