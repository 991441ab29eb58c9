using PolicyGate.Core.Policy;

namespace PolicyGate.Store;

/// <summary>Hot-path view of the instance registry: an immutable snapshot (no lock, no I/O) plus a non-blocking fetch request.</summary>
public interface IInstanceDirectory
{
    InstanceSnapshot Current { get; }

    /// <summary>Queues a background fetch of the instance's self-reported port policy (deduplicated; never blocks).</summary>
    void RequestPolicyFetch(string instanceId);
}
