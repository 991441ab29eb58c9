using System.Collections.Concurrent;
using PolicyGate.Core.Policy;
using PolicyGate.Store;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>
/// Test-only instance directory: the registry (foundation branch) is not merged yet, so edge tests register instances here.
/// Records every policy fetch the edge requests.
/// </summary>
public sealed class TestInstanceDirectory : IInstanceDirectory
{
    private readonly ConcurrentDictionary<string, InstanceRecord> _instances = new(StringComparer.OrdinalIgnoreCase);
    private volatile InstanceSnapshot _current = InstanceSnapshot.Empty;

    public InstanceSnapshot Current => _current;

    public ConcurrentQueue<string> FetchRequests { get; } = new();

    public void RequestPolicyFetch(string instanceId) => FetchRequests.Enqueue(instanceId);

    /// <summary>Registers (or replaces) an instance at 127.0.0.1, seen now.</summary>
    public InstanceRecord Register(string instanceId, string appId, PortPolicy? reported, PortPolicy? adminOverride = null, DateTimeOffset? lastSeen = null, string address = "127.0.0.1")
    {
        InstanceRecord record = new()
        {
            InstanceId = instanceId,
            AppId = appId,
            Address = address,
            RegisteredAt = DateTimeOffset.UtcNow,
            LastSeen = lastSeen ?? DateTimeOffset.UtcNow,
            InstanceReported = reported,
            AdminOverride = adminOverride,
        };
        _instances[instanceId] = record;
        _current = new InstanceSnapshot(_instances.Values);
        return record;
    }

    /// <summary>Replaces the admin override of an instance (what PUT …/port-policy does).</summary>
    public void SetOverride(string instanceId, PortPolicy? adminOverride)
    {
        _instances[instanceId] = _instances[instanceId] with { AdminOverride = adminOverride };
        _current = new InstanceSnapshot(_instances.Values);
    }

    /// <summary>Policy allowing exactly the given ports with the given pp/protocol.</summary>
    public static PortPolicy Only(params PortRule[] rules) => new(rules, restrictMode: true);
}
