namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Result of <see cref="ProxyHeaderParser.Parse"/>: a header when Complete, a precise error when Invalid.</summary>
public readonly record struct ProxyParseResult(ProxyParseStatus Status, ProxyHeader? Header, string? Error)
{
    internal static ProxyParseResult NeedMore => new(ProxyParseStatus.Incomplete, null, null);

    internal static ProxyParseResult Fail(string error) => new(ProxyParseStatus.Invalid, null, error);

    internal static ProxyParseResult Done(ProxyHeader header) => new(ProxyParseStatus.Complete, header, null);
}
