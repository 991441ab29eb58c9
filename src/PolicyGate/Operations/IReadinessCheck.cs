namespace PolicyGate.Operations;

/// <summary>One condition of /readyz (store open, certs loaded, tenants loaded, ...): null when ready, else the reason.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    /// <summary>Null when ready; else a short reason shown in the 503 body.</summary>
    string? Check();
}
