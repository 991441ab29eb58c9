namespace PolicyGate.Load.Simulations;

/// <summary>Open loop: requests start on a fixed schedule (latency counted from the intended start), at most MaxConnections in flight.</summary>
public sealed record ConstantRateSimulation(int RatePerSecond, int MaxInFlight) : LoadSimulation
{
    public override int MaxConnections => MaxInFlight;

    public override string Describe() => $"rate:{RatePerSecond}:{MaxInFlight}";
}
