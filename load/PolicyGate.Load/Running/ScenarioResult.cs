namespace PolicyGate.Load.Running;

/// <summary>The outcome of one run (one scenario against one target in one round); also an "n/a" placeholder with a reason.</summary>
public sealed record ScenarioResult
{
    public required string Scenario { get; init; }
    public required string Target { get; init; }
    public int Round { get; init; }

    /// <summary><c>ok</c>, or <c>n/a</c> when the target or feature is not available (see <see cref="Reason"/>).</summary>
    public string Status { get; init; } = "ok";
    public string? Reason { get; init; }
    public string Metric { get; init; } = "rps";
    public string Client { get; init; } = "";
    public string Simulation { get; init; } = "";
    public DateTime StartedUtc { get; init; }
    public double DurationSeconds { get; init; }
    public long Requests { get; init; }
    public long Errors { get; init; }
    public IReadOnlyDictionary<string, long> ErrorsByKind { get; init; } = new Dictionary<string, long>();
    public long Bytes { get; init; }
    public double RequestsPerSecond { get; init; }
    public double MegabytesPerSecond { get; init; }
    public double LatencyMeanMs { get; init; }
    public double LatencyP50Ms { get; init; }
    public double LatencyP75Ms { get; init; }
    public double LatencyP95Ms { get; init; }
    public double LatencyP99Ms { get; init; }
    public double LatencyMaxMs { get; init; }

    /// <summary>Proxy process tree CPU over the measured window (ms); null when no proxy pid was given.</summary>
    public double? ProxyCpuMs { get; init; }
    public double? ProxyCpuUsPerRequest { get; init; }
    public double? ProxyCpuUsPerMB { get; init; }
    public double? ProxyContextSwitchesPerRequest { get; init; }
    public double? BackendCpuUsPerRequest { get; init; }
    public double ClientCpuUsPerRequest { get; init; }

    /// <summary>Machine busy fraction over the window, and the part of it not explained by proxy, backend and client.</summary>
    public double MachineBusy { get; init; }
    public double OtherBusy { get; init; }
    public double LoadAverage1 { get; init; }
    public bool Disturbed { get; init; }

    /// <summary>The headline value (<see cref="RequestsPerSecond"/> or <see cref="MegabytesPerSecond"/>).</summary>
    public double Value => Metric == "mbps" ? MegabytesPerSecond : RequestsPerSecond;

    public static ScenarioResult NotAvailable(string scenario, string target, int round, string metric, string reason) => new()
    {
        Scenario = scenario,
        Target = target,
        Round = round,
        Status = "n/a",
        Reason = reason,
        Metric = metric,
        StartedUtc = DateTime.UtcNow,
    };
}
