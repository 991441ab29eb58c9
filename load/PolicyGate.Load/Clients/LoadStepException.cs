namespace PolicyGate.Load.Clients;

/// <summary>A failed step, with a short machine-readable kind (e.g. <c>http_502</c>, <c>connect</c>, <c>tls</c>).</summary>
public sealed class LoadStepException(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;
}
