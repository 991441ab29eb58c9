namespace PolicyGate.Acme;

/// <summary>The outcome of one issuance or renewal attempt; on failure the served certificate is unchanged.</summary>
public sealed record AcmeRenewalResult(bool Ok, string Kind, string Message, string? Serial, DateTimeOffset? NotAfter, DateTimeOffset NextAttempt);
