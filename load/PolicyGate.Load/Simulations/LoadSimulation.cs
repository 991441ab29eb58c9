using System.Globalization;

namespace PolicyGate.Load.Simulations;

/// <summary>How load is applied: closed-loop connections, an open-loop constant rate, or a ramp of connections.</summary>
public abstract record LoadSimulation
{
    /// <summary>Most connections the simulation may hold at once.</summary>
    public abstract int MaxConnections { get; }

    /// <summary>The command-line spelling (<c>closed:32</c>, <c>rate:2000[:64]</c>, <c>ramp:1:32</c>).</summary>
    public abstract string Describe();

    /// <summary>Parses the command-line spelling; returns an error message instead of throwing.</summary>
    public static LoadSimulation? Parse(string text, out string? error)
    {
        error = null;
        string[] parts = text.Split(':');
        int[] numbers = new int[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i - 1]) || numbers[i - 1] <= 0 || numbers[i - 1] > 1_000_000)
            {
                error = $"--sim {text}: '{parts[i]}' is not a positive integer";
                return null;
            }
        }

        switch (parts[0])
        {
            case "closed" when numbers.Length == 1 && numbers[0] <= 4096:
                return new ClosedLoopSimulation(numbers[0]);
            case "rate" when numbers.Length is 1 or 2:
                return new ConstantRateSimulation(numbers[0], numbers.Length == 2 ? Math.Min(numbers[1], 4096) : 256);
            case "ramp" when numbers.Length == 2 && numbers[0] <= numbers[1] && numbers[1] <= 4096:
                return new RampSimulation(numbers[0], numbers[1]);
            default:
                error = $"--sim {text}: expected closed:N (N ≤ 4096), rate:R[:MAXCONN] or ramp:FROM:TO (FROM ≤ TO ≤ 4096)";
                return null;
        }
    }
}
