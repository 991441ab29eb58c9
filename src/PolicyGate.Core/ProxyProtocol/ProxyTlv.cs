namespace PolicyGate.Core.ProxyProtocol;

/// <summary>One PROXY v2 type-length-value entry; <see cref="Value"/> is a copy owned by the header.</summary>
public readonly record struct ProxyTlv(byte Type, ReadOnlyMemory<byte> Value);
