namespace PolicyGate.Core.Tls;

/// <summary>Result of <see cref="ClientHelloParser.Parse"/>: info when Complete, a precise error when Invalid.</summary>
public readonly record struct ClientHelloResult(ClientHelloStatus Status, ClientHelloInfo? Info, string? Error)
{
    internal static ClientHelloResult NeedMore => new(ClientHelloStatus.Incomplete, null, null);

    internal static ClientHelloResult Fail(string error) => new(ClientHelloStatus.Invalid, null, error);

    internal static ClientHelloResult Done(ClientHelloInfo info) => new(ClientHelloStatus.Complete, info, null);
}
