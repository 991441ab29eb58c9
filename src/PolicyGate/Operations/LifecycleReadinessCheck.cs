namespace PolicyGate.Operations;

/// <summary>Not ready until the host has started every listener and service, and again once shutdown begins (drains load balancers).</summary>
public sealed class LifecycleReadinessCheck : IReadinessCheck
{
    private volatile string? _state = "starting";

    public LifecycleReadinessCheck(IHostApplicationLifetime lifetime)
    {
        lifetime.ApplicationStarted.Register(() => _state = null);
        lifetime.ApplicationStopping.Register(() => _state = "shutting down");
    }

    public string Name => "lifecycle";

    public string? Check() => _state;
}
