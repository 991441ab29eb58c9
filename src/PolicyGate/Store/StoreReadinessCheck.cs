using PolicyGate.Operations;

namespace PolicyGate.Store;

/// <summary>/readyz condition: the store is migrated and the instance snapshot loaded.</summary>
public sealed class StoreReadinessCheck(InstanceRegistry registry) : IReadinessCheck
{
    public string Name => "store";

    public string? Check() => registry.IsLoaded ? null : "store not open";
}
