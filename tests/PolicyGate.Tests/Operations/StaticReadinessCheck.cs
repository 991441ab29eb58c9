using PolicyGate.Operations;

namespace PolicyGate.Tests.Operations;

/// <summary>A readiness check whose answer the test sets; stands in for the store/cert/tenant checks other features register.</summary>
public sealed class StaticReadinessCheck(string name, string? reason) : IReadinessCheck
{
    public string Name => name;

    public string? Reason { get; set; } = reason;

    public string? Check() => Reason;
}
