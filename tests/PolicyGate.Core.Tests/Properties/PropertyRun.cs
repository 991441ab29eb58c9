using CsCheck;

namespace PolicyGate.Core.Tests.Properties;

/// <summary>
/// Runs a CsCheck generator from a fixed seed for a bounded count and time, so a failure reproduces exactly and the suite
/// stays fast; the failing input is in the exception message.
/// </summary>
internal static class PropertyRun
{
    public const ulong Seed = 0x5EED_0014UL;
    public const int Iterations = 20_000;
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    /// <summary>Feeds <paramref name="property"/> generated inputs (deterministic sequence); returns how many ran.</summary>
    public static int Check<T>(Gen<T> gen, Action<T> property, Func<T, string>? print = null, int iterations = Iterations)
    {
        PCG pcg = new(14, Seed);
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
        int run = 0;
        for (; run < iterations && watch.Elapsed < Budget; run++)
        {
            T input = gen.Generate(pcg, null, out _);
            try
            {
                property(input);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"property failed at iteration {run} (seed {Seed:X}): {(print ?? Describe)(input)}", e);
            }
        }

        return run;
    }

    private static string Describe<T>(T input) => input switch
    {
        byte[] bytes => Convert.ToHexString(bytes),
        string text => "\"" + text + "\"",
        _ => input?.ToString() ?? "null",
    };
}
