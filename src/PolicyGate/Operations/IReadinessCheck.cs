namespace PolicyGate.Operations;

/// <summary>One condition of /readyz (store open, certs loaded, tenants loaded, ...): null when ready, else the reason.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    /// <summary>Null when ready; else a short reason shown in the 503 body.</summary>
    string? Check();

    /// <summary>
    /// Null when fully healthy; else why the node is ready but degraded (it still serves, /readyz answers 200 with
    /// status "degraded": e.g. a shared store unreachable after start, DESIGN §11). Only consulted when every check passes.
    /// </summary>
    string? Degraded() => null;
}
