using PolicyGate.Core.Policy;
using PolicyGate.Store;

namespace PolicyGate.Tests.Http;

/// <summary>An in-memory instance directory whose snapshot a test swaps (lets a test change the live policy under the forwarder without the admin API).</summary>
internal sealed class TestInstanceDirectory : IInstanceDirectory
{
    private InstanceSnapshot _current = InstanceSnapshot.Empty;

    public InstanceSnapshot Current => Volatile.Read(ref _current);

    public void Set(params InstanceRecord[] instances) => Volatile.Write(ref _current, new InstanceSnapshot(instances));

    public void RequestPolicyFetch(string instanceId)
    {
    }
}
