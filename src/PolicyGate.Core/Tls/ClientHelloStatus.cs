namespace PolicyGate.Core.Tls;

/// <summary>Outcome of parsing a ClientHello: done, need more bytes, or not a valid ClientHello.</summary>
public enum ClientHelloStatus
{
    Complete,
    Incomplete,
    Invalid,
}
