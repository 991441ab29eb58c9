using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>The configuration in force: the startup options, replaced atomically by each successful reload.</summary>
public sealed class ActiveConfig(PolicyGateOptions initial)
{
    private volatile PolicyGateOptions _current = initial;

    public PolicyGateOptions Current => _current;

    internal void Replace(PolicyGateOptions options) => _current = options;
}
