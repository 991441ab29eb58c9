using PolicyGate.Core.Policy;

namespace PolicyGate.Store;

/// <summary>Registers instances (admin API, --demo); validates, persists, audits and refreshes the snapshot.</summary>
public interface IInstanceRegistrar
{
    /// <summary>Registers or re-registers; throws <see cref="ArgumentException"/> with the API's 400 message on invalid input.</summary>
    Task<InstanceRecord> RegisterAsync(InstanceRegistration registration, string caller, CancellationToken cancellationToken = default);
}
