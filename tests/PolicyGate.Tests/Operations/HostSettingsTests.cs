using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PolicyGate.Operations;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

public sealed class HostSettingsTests
{
    [Fact]
    public async Task Graceful_shutdown_timeout_is_edge_timeouts_shutdown_plus_room_for_the_audit_flush()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.Edge.Timeouts.Shutdown = TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(17), node.Service<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task Lifecycle_check_is_ready_after_start_and_not_ready_once_stopping()
    {
        await using TestNode node = await TestNode.StartAsync();
        LifecycleReadinessCheck lifecycle = node.Service<IEnumerable<IReadinessCheck>>().OfType<LifecycleReadinessCheck>().Single();
        Assert.Null(lifecycle.Check());
        node.Service<IHostApplicationLifetime>().StopApplication();
        Assert.Equal("shutting down", lifecycle.Check());
    }
}
