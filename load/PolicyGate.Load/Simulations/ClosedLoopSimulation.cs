namespace PolicyGate.Load.Simulations;

/// <summary>N connections, each sending its next request as soon as the last one answered.</summary>
public sealed record ClosedLoopSimulation(int Connections) : LoadSimulation
{
    public override int MaxConnections => Connections;

    public override string Describe() => $"closed:{Connections}";
}
