using System.Diagnostics;
using PolicyGate.Core.Policy;

namespace PolicyGate.Tests.Store;

/// <summary>A heartbeat changes one entry of a 10,000-instance snapshot without rebuilding it (DESIGN §12 scale-out).</summary>
public sealed class InstanceSnapshotScaleTests
{
    [Fact]
    public void One_change_costs_a_small_fraction_of_a_rebuild_and_keeps_every_lookup_right()
    {
        InstanceRecord[] all = [.. Enumerable.Range(0, 10_000).Select(i => new InstanceRecord
        {
            InstanceId = "i" + i,
            AppId = "app" + (i % 500),
            Address = "127.0.0.1",
            LastSeen = DateTimeOffset.UnixEpoch.AddSeconds(i),
        })];
        InstanceSnapshot snapshot = new(all);

        // Same work measured alternately so machine load hits both alike: 200 single changes vs 200 rebuilds.
        TimeSpan changes = TimeSpan.Zero, rebuilds = TimeSpan.Zero;
        for (int round = 0; round < 200; round++)
        {
            InstanceRecord beat = all[round * 37 % all.Length] with { LastSeen = DateTimeOffset.UnixEpoch.AddDays(1).AddSeconds(round) };
            Stopwatch watch = Stopwatch.StartNew();
            snapshot = snapshot.With(beat);
            changes += watch.Elapsed;
            watch.Restart();
            _ = new InstanceSnapshot(all);
            rebuilds += watch.Elapsed;
        }

        Assert.True(changes * 20 < rebuilds, $"200 changes took {changes.TotalMilliseconds:0.0} ms, 200 rebuilds {rebuilds.TotalMilliseconds:0.0} ms");
        Assert.Equal(10_000, snapshot.Count);
        // The last heartbeat (round 199 → i7363, app363) is now the newest of its app, and the app still has its 20 instances.
        IReadOnlyList<InstanceRecord> app = snapshot.FreshInstancesOfApp("APP363", DateTimeOffset.UnixEpoch.AddDays(2), TimeSpan.FromDays(10));
        Assert.Equal(20, app.Count);
        Assert.Equal("i7363", app[0].InstanceId);
        Assert.True(snapshot.Without("i7363").FreshInstancesOfApp("app363", DateTimeOffset.UnixEpoch.AddDays(2), TimeSpan.FromDays(10)).All(i => i.InstanceId != "i7363"));
        Assert.False(snapshot.Without("i7363").TryGetInstance("I7363", out _));
        Assert.True(snapshot.TryGetInstance("I7363", out InstanceRecord found) && found.LastSeen == DateTimeOffset.UnixEpoch.AddDays(1).AddSeconds(199));
    }
}
