namespace PolicyGate.Tests.Http;

/// <summary>What `/echo` answers.</summary>
internal sealed record EchoReply(string Protocol, Dictionary<string, string> Headers);
