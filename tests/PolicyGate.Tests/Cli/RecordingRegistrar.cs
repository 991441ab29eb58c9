using PolicyGate.Core.Policy;
using PolicyGate.Store;

namespace PolicyGate.Tests.Cli;

/// <summary>Captures registrations; shows exactly what --demo asks the registry for.</summary>
public sealed class RecordingRegistrar : IInstanceRegistrar
{
    private readonly TaskCompletionSource<(InstanceRegistration Registration, string Caller)> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(InstanceRegistration Registration, string Caller)> First => _first.Task;

    public Task<InstanceRecord> RegisterAsync(InstanceRegistration registration, string caller, CancellationToken cancellationToken = default)
    {
        _first.TrySetResult((registration, caller));
        return Task.FromResult<InstanceRecord>(null!);
    }
}
