namespace PolicyGate.Tests.Egress;

/// <summary>A proxy answer read off the wire: status, headers (case-insensitive) and body.</summary>
internal sealed record ProxyResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    public string? Reason => Headers.GetValueOrDefault("X-PolicyGate-Reason");
}
