using PolicyGate.Operations;

namespace PolicyGate.Store;

/// <summary>/readyz condition: the store is migrated and the instance snapshot loaded; an outage after that is "degraded" (DESIGN §11).</summary>
public sealed class StoreReadinessCheck(InstanceRegistry registry, StoreHealth health) : IReadinessCheck
{
    public string Name => "store";

    public string? Check() => registry.IsLoaded ? null : "store not open";

    public string? Degraded() => health.DownReason is string reason ? "unavailable, serving the last snapshot: " + reason : null;
}
