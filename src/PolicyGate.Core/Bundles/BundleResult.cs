using System.Diagnostics.CodeAnalysis;

namespace PolicyGate.Core.Bundles;

/// <summary>A value or the reason it could not be produced (never both); bundle code never throws for bad input.</summary>
public readonly record struct BundleResult<T>(T? Value, BundleRejection? Rejection) where T : class
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsOk => Rejection is null;

    public static BundleResult<T> Ok(T value) => new(value, null);

    public static BundleResult<T> Fail(BundleRejection rejection) => new(null, rejection);

    public static BundleResult<T> Fail(string code, string message) => new(null, new BundleRejection(code, message));

    public static implicit operator BundleResult<T>(BundleRejection rejection) => Fail(rejection);
}
