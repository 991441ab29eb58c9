namespace PolicyGate.Store;

/// <summary>
/// A snapshot owner that other nodes' writes must reach (instance registry, egress rule set): it applies the changes
/// named by notifications, and rebuilds fully at start, at the periodic resync and after a LISTEN reconnect or outage.
/// </summary>
public interface IStoreChangeSubscriber
{
    /// <summary>True when a change to <paramref name="table"/> shapes this subscriber's snapshot.</summary>
    bool Handles(string table);

    /// <summary>Applies a batch of changes committed by any node (this one included; applying twice is harmless).</summary>
    Task ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken);

    /// <summary>Reloads everything from the store.</summary>
    Task ResyncAsync(CancellationToken cancellationToken);
}
