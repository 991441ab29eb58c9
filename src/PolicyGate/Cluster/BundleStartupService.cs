namespace PolicyGate.Cluster;

/// <summary>Activates the bundle kept on disk (leader: published, follower: last-known-good) before the node serves or polls.</summary>
public sealed class BundleStartupService(BundleApplier applier) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        applier.LoadAtStartup();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
