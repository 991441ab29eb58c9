namespace PolicyGate.Load.Simulations;

/// <summary>Closed loop whose connection count grows linearly from From to To over warm-up plus duration.</summary>
public sealed record RampSimulation(int From, int To) : LoadSimulation
{
    public override int MaxConnections => To;

    public override string Describe() => $"ramp:{From}:{To}";
}
