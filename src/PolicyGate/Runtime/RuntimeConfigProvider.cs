using Microsoft.Extensions.Primitives;

namespace PolicyGate.Runtime;

/// <summary>
/// Publishes the one <see cref="RuntimeConfig"/> in force (model: YARP's IProxyConfigProvider): readers take
/// <see cref="Current"/> once per connection or request; <see cref="ChangeToken"/> fires when a newer snapshot is published.
/// </summary>
public sealed class RuntimeConfigProvider
{
    private readonly object _publishGate = new();
    private RuntimeConfig _current;
    private CancellationTokenSource _changed = new();
    private IChangeToken _changeToken;

    public RuntimeConfigProvider(RuntimeConfig initial)
    {
        _current = initial;
        _changeToken = new CancellationChangeToken(_changed.Token);
    }

    /// <summary>The snapshot in force (a volatile read; never null).</summary>
    public RuntimeConfig Current => Volatile.Read(ref _current);

    /// <summary>Fires once when the snapshot read alongside it is replaced; take a new token after it fired.</summary>
    public IChangeToken ChangeToken
    {
        get => Volatile.Read(ref _changeToken);
        private set => Volatile.Write(ref _changeToken, value);
    }

    /// <summary>Makes <paramref name="next"/> current and signals <see cref="ChangeToken"/>.</summary>
    public void Publish(RuntimeConfig next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Update(_ => next);
    }

    /// <summary>Atomically replaces the snapshot with <paramref name="change"/>(current) (e.g. <c>c =&gt; c with { Tls = renewed }</c>); returns the new one.</summary>
    public RuntimeConfig Update(Func<RuntimeConfig, RuntimeConfig> change)
    {
        CancellationTokenSource fired;
        RuntimeConfig next;
        lock (_publishGate)
        {
            next = change(_current) ?? throw new InvalidOperationException("a runtime config update returned null");
            if (ReferenceEquals(next, _current))
            {
                return next;
            }

            fired = _changed;
            _changed = new CancellationTokenSource();
            ChangeToken = new CancellationChangeToken(_changed.Token);
            Volatile.Write(ref _current, next);
        }

        fired.Cancel(); // not disposed: a token taken just before the swap must still report the change
        return next;
    }

    /// <summary>Calls <paramref name="onChange"/> with each newly published snapshot until the returned handle is disposed.</summary>
    public IDisposable OnChange(Action<RuntimeConfig> onChange) =>
        Microsoft.Extensions.Primitives.ChangeToken.OnChange(() => ChangeToken, () => onChange(Current));
}
