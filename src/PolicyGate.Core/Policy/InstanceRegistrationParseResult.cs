namespace PolicyGate.Core.Policy;

/// <summary>Outcome of parsing a registration body: the registration, or a precise error naming the field.</summary>
public readonly record struct InstanceRegistrationParseResult(InstanceRegistration? Registration, string? Error);
