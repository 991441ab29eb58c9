namespace PolicyGate.Core.Policy.Egress;

/// <summary>Specificity score (DESIGN §8): container ≠ * +100, no glob +100; destination ≠ * +10, no wildcard +10; port ≠ * +1.</summary>
public static class EgressSpecificity
{
    public static int Of(ContainerPattern container, DestinationPattern destination, PortPattern port)
    {
        int score = 0;
        if (!container.IsAny)
        {
            score += 100;
            if (!container.HasGlob)
            {
                score += 100;
            }
        }

        if (destination.Kind != DestinationKind.Any)
        {
            score += 10;
            if (!destination.HasWildcard)
            {
                score += 10;
            }
        }

        return port.IsAny ? score : score + 1;
    }
}
