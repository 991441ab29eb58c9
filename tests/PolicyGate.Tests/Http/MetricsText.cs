using System.Globalization;
using Prometheus;

namespace PolicyGate.Tests.Http;

/// <summary>Reads a sample from the Prometheus text exposition of the default registry (what /metrics serves).</summary>
internal static class MetricsText
{
    public static async Task<double> ReadAsync(string name, string labels)
    {
        using MemoryStream stream = new();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        string prefix = name + "{" + labels + "} ";
        foreach (string line in System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
