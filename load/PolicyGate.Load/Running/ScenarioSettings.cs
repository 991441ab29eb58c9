using PolicyGate.Load.Clients;
using PolicyGate.Load.Simulations;

namespace PolicyGate.Load.Running;

/// <summary>Everything one run needs: what to send, to whom, how hard, for how long, and whose CPU to watch.</summary>
public sealed record ScenarioSettings
{
    /// <summary>Scenario name, e.g. <c>https-1k</c>.</summary>
    public required string Scenario { get; init; }

    /// <summary>The peer under test, e.g. <c>haproxy</c> or <c>policygate</c>.</summary>
    public required string Target { get; init; }

    public required string Client { get; init; }
    public required ClientTarget ClientTarget { get; init; }
    public required LoadSimulation Simulation { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop after this many measured requests (0 = duration only).</summary>
    public long MaxRequests { get; init; }

    public int Round { get; init; } = 1;

    /// <summary>The headline metric for comparisons: <c>rps</c> or <c>mbps</c>.</summary>
    public string Metric { get; init; } = "rps";

    public IReadOnlyList<int> ProxyPids { get; init; } = [];
    public IReadOnlyList<int> BackendPids { get; init; } = [];

    /// <summary>Machine CPU used by processes other than proxy, backend and client, as a fraction, above which the run is flagged disturbed.</summary>
    public double DisturbedThreshold { get; init; } = 0.15;

    public bool Progress { get; init; } = true;
}
