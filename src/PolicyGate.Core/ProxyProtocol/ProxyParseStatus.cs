namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Outcome of parsing a PROXY header: done, need more bytes, or malformed.</summary>
public enum ProxyParseStatus
{
    Complete,
    Incomplete,
    Invalid,
}
