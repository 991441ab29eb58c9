namespace PolicyGate.Core.Policy.Egress;

/// <summary>Why a request head was refused: the status to answer and a precise one-line message.</summary>
public sealed record ProxyRequestError(int Status, string Message);
