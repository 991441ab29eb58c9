namespace PolicyGate.Store;

/// <summary>The store cannot be reached (or did not answer within its timeout); admin writes answer 503 with <see cref="Exception.Message"/>.</summary>
public sealed class StoreUnavailableException(string reason, Exception? inner = null) : Exception("store unavailable: " + reason, inner)
{
    /// <summary>Why, without the "store unavailable: " prefix.</summary>
    public string Reason { get; } = reason;
}
