using System.Collections.Frozen;

namespace PolicyGate.Core.Policy;

/// <summary>Immutable view of every registered instance; rebuilt on change and swapped atomically.</summary>
public sealed class InstanceSnapshot
{
    private readonly FrozenDictionary<string, InstanceRecord> _byId;
    private readonly FrozenDictionary<string, InstanceRecord[]> _byApp;

    public InstanceSnapshot(IEnumerable<InstanceRecord> instances)
    {
        InstanceRecord[] all = instances.ToArray();
        _byId = all.ToFrozenDictionary(i => i.InstanceId, StringComparer.OrdinalIgnoreCase);
        _byApp = all.GroupBy(i => i.AppId, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(i => i.LastSeen).ThenBy(i => i.InstanceId, StringComparer.Ordinal).ToArray(), StringComparer.OrdinalIgnoreCase);
        Instances = all;
    }

    public static InstanceSnapshot Empty { get; } = new([]);

    public IReadOnlyList<InstanceRecord> Instances { get; }

    public bool TryGetInstance(string instanceId, out InstanceRecord instance) => _byId.TryGetValue(instanceId, out instance!);

    /// <summary>Instances of an app seen within <paramref name="staleAfter"/> of <paramref name="now"/>, newest first.</summary>
    public IReadOnlyList<InstanceRecord> FreshInstancesOfApp(string appId, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (!_byApp.TryGetValue(appId, out InstanceRecord[]? list))
        {
            return [];
        }

        return Array.FindAll(list, i => now - i.LastSeen <= staleAfter);
    }

    /// <summary>
    /// Resolves a route id: an instance id (that instance, whatever its age) or an app id (fresh instances, newest first, at most topN).
    /// Empty when nothing matches.
    /// </summary>
    public IReadOnlyList<InstanceRecord> ResolveCandidates(string id, DateTimeOffset now, TimeSpan staleAfter, int topN)
    {
        if (TryGetInstance(id, out InstanceRecord instance))
        {
            return [instance];
        }

        IReadOnlyList<InstanceRecord> fresh = FreshInstancesOfApp(id, now, staleAfter);
        return fresh.Count <= topN ? fresh : fresh.Take(topN).ToArray();
    }
}
