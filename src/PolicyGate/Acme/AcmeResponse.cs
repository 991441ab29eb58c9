using System.Text.Json.Nodes;

namespace PolicyGate.Acme;

/// <summary>One ACME answer: the JSON body (or raw text for a certificate), its Location and its Retry-After delay.</summary>
public sealed record AcmeResponse(JsonObject? Json, string Text, Uri? Location, TimeSpan? RetryAfter);
