using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Tests.Operations;

/// <summary>Records the options each reload hands over; can be told to reject (as a component with a bad tenants file would).</summary>
public sealed class RecordingReloadable : IReloadable
{
    public List<PolicyGateOptions> Received { get; } = [];

    public string? RejectWith { get; set; }

    public Task ReloadAsync(PolicyGateOptions options, CancellationToken cancellationToken)
    {
        if (RejectWith is not null)
        {
            throw new InvalidOperationException(RejectWith);
        }

        Received.Add(options);
        return Task.CompletedTask;
    }
}
