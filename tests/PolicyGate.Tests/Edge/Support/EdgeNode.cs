using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Store;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>
/// A real node for edge tests. Until the registry (foundation) and audit chain (audit) branches are merged, instances are
/// registered in a test-only <see cref="TestInstanceDirectory"/> and audit entries land in a <see cref="RecordingAuditLog"/>.
/// </summary>
public sealed class EdgeNode : IAsyncDisposable
{
    private EdgeNode(TestNode node, TestInstanceDirectory directory, RecordingAuditLog audit)
    {
        Node = node;
        Directory = directory;
        Audit = audit;
    }

    public TestNode Node { get; }
    public TestInstanceDirectory Directory { get; }
    public RecordingAuditLog Audit { get; }
    public System.Net.IPEndPoint Edge => Node.EdgeEndPoint;

    public static async Task<EdgeNode> StartAsync(Action<PolicyGateOptions>? configure = null)
    {
        TestInstanceDirectory directory = new();
        RecordingAuditLog audit = new();
        PolicyGateOptions options = TestNode.CreateOptions(o =>
        {
            // Generous for a loaded 2-core machine, short enough for timeout tests to finish quickly.
            o.Edge.Timeouts.Handshake = TimeSpan.FromSeconds(3);
            o.Edge.Timeouts.PpHeader = TimeSpan.FromSeconds(3);
            o.Edge.Timeouts.Connect = TimeSpan.FromSeconds(3);
            configure?.Invoke(o);
        });
        TestNode node = await TestNode.StartAsync(options, services =>
        {
            services.AddSingleton<IInstanceDirectory>(directory);
            services.AddSingleton<IAuditLog>(audit);
        });
        return new EdgeNode(node, directory, audit);
    }

    /// <summary>Waits (bounded) until an audit entry with <paramref name="reason"/> exists.</summary>
    public async Task<AuditEvent> WaitForAuditAsync(string reason, Func<AuditEvent, bool>? match = null)
    {
        for (int i = 0; i < 100; i++)
        {
            AuditEvent? found = Audit.Entries.FirstOrDefault(e => e.Reason == reason && (match?.Invoke(e) ?? true));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no audit entry with reason {reason}; have: {string.Join(", ", Audit.Entries.Select(e => e.Reason))}");
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
