using PolicyGate.Operations;
using PolicyGate.Runtime;

namespace PolicyGate.Tests.Operations;

/// <summary>Records the runtime config each reload hands over; can be told to reject (as a component with a bad tenants file would).</summary>
public sealed class RecordingReloadable : IReloadable
{
    public List<RuntimeConfig> Received { get; } = [];

    public string? RejectWith { get; set; }

    public Task ReloadAsync(RuntimeConfig next, CancellationToken cancellationToken)
    {
        if (RejectWith is not null)
        {
            throw new InvalidOperationException(RejectWith);
        }

        Received.Add(next);
        return Task.CompletedTask;
    }
}
