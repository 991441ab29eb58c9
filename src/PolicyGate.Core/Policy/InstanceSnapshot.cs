using System.Collections.Immutable;

namespace PolicyGate.Core.Policy;

/// <summary>
/// Immutable view of every registered instance, swapped atomically. Built once from the store, then changed one
/// instance at a time (<see cref="With"/>, <see cref="Without"/>): a change costs O(log N) plus the size of that
/// instance's app, never a rebuild of the whole set (heartbeats of 10,000 instances stay cheap; DESIGN §12).
/// </summary>
public sealed class InstanceSnapshot
{
    private static readonly IComparer<InstanceRecord> s_newestFirst = Comparer<InstanceRecord>.Create(static (a, b) =>
    {
        int byAge = b.LastSeen.CompareTo(a.LastSeen);
        return byAge != 0 ? byAge : string.CompareOrdinal(a.InstanceId, b.InstanceId);
    });

    private readonly ImmutableDictionary<string, InstanceRecord> _byId;
    private readonly ImmutableDictionary<string, InstanceRecord[]> _byApp;
    private InstanceRecord[]? _all;

    public InstanceSnapshot(IEnumerable<InstanceRecord> instances)
    {
        ImmutableDictionary<string, InstanceRecord>.Builder byId = ImmutableDictionary.CreateBuilder<string, InstanceRecord>(StringComparer.OrdinalIgnoreCase);
        foreach (InstanceRecord instance in instances)
        {
            byId[instance.InstanceId] = instance;
        }

        _byId = byId.ToImmutable();
        _byApp = _byId.Values.GroupBy(i => i.AppId, StringComparer.OrdinalIgnoreCase)
            .ToImmutableDictionary(g => g.Key, g => g.Order(s_newestFirst).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    private InstanceSnapshot(ImmutableDictionary<string, InstanceRecord> byId, ImmutableDictionary<string, InstanceRecord[]> byApp)
    {
        _byId = byId;
        _byApp = byApp;
    }

    public static InstanceSnapshot Empty { get; } = new([]);

    public int Count => _byId.Count;

    /// <summary>Every instance (materialized once per snapshot, on first use; not used by the edge's per-connection path).</summary>
    public IReadOnlyList<InstanceRecord> Instances => _all ??= [.. _byId.Values];

    public bool TryGetInstance(string instanceId, out InstanceRecord instance) => _byId.TryGetValue(instanceId, out instance!);

    /// <summary>This snapshot with <paramref name="instance"/> added or replacing the one with its id.</summary>
    public InstanceSnapshot With(InstanceRecord instance)
    {
        ImmutableDictionary<string, InstanceRecord[]> byApp = _byApp;
        if (_byId.TryGetValue(instance.InstanceId, out InstanceRecord? old))
        {
            byApp = RemoveFromApp(byApp, old);
        }

        byApp.TryGetValue(instance.AppId, out InstanceRecord[]? list);
        list ??= [];
        int at = Array.BinarySearch(list, instance, s_newestFirst);
        InstanceRecord[] grown = new InstanceRecord[list.Length + 1];
        at = at < 0 ? ~at : at;
        Array.Copy(list, grown, at);
        grown[at] = instance;
        Array.Copy(list, at, grown, at + 1, list.Length - at);
        return new InstanceSnapshot(_byId.Remove(instance.InstanceId).Add(instance.InstanceId, instance), byApp.SetItem(instance.AppId, grown));
    }

    /// <summary>This snapshot without the instance <paramref name="instanceId"/> (the same snapshot when absent).</summary>
    public InstanceSnapshot Without(string instanceId)
        => _byId.TryGetValue(instanceId, out InstanceRecord? old)
            ? new InstanceSnapshot(_byId.Remove(instanceId), RemoveFromApp(_byApp, old))
            : this;

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

    private static ImmutableDictionary<string, InstanceRecord[]> RemoveFromApp(ImmutableDictionary<string, InstanceRecord[]> byApp, InstanceRecord old)
    {
        if (!byApp.TryGetValue(old.AppId, out InstanceRecord[]? list))
        {
            return byApp;
        }

        InstanceRecord[] shrunk = Array.FindAll(list, i => !string.Equals(i.InstanceId, old.InstanceId, StringComparison.OrdinalIgnoreCase));
        return shrunk.Length == 0 ? byApp.Remove(old.AppId) : byApp.SetItem(old.AppId, shrunk);
    }
}
