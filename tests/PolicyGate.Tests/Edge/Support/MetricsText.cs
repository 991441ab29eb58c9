using System.Globalization;
using Prometheus;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>
/// Reads metric samples from the exposition text PolicyGate serves on /metrics (prometheus-net's default registry, which is
/// what /metrics exports verbatim; read in-process so parallel test nodes need no metrics listener of their own).
/// </summary>
public static class MetricsText
{
    public static async Task<string> ScrapeAsync()
    {
        using MemoryStream stream = new();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The value of the sample line starting with <paramref name="series"/> (e.g. <c>policygate_edge_denials_total{reason="bad_sni"}</c>), 0 when absent.</summary>
    public static async Task<double> ValueAsync(string series)
    {
        string text = await ScrapeAsync();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public static Task<double> DenialsAsync(string reason) => ValueAsync($"policygate_edge_denials_total{{reason=\"{reason}\"}}");

    /// <summary>Waits (bounded) until the denial counter for <paramref name="reason"/> exceeds <paramref name="before"/>.</summary>
    public static async Task<double> WaitForDenialsAboveAsync(string reason, double before)
    {
        double now = 0;
        for (int i = 0; i < 100; i++)
        {
            now = await DenialsAsync(reason);
            if (now > before)
            {
                return now;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"policygate_edge_denials_total{{reason=\"{reason}\"}} stayed at {now}");
    }
}
