using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyGate.Load.Reporting;

namespace PolicyGate.Load.Comparison;

/// <summary>Writes the comparison as comparison.md, comparison.csv and comparison.json.</summary>
public static class ComparisonWriter
{
    public static string Write(string directory, IReadOnlyList<ScenarioComparison> scenarios, IReadOnlyList<ScenarioPairRow> pairs, string title)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "comparison.json"), JsonSerializer.Serialize(new { title, scenarios, pairs }, ReportJson.Indented));
        File.WriteAllText(Path.Combine(directory, "comparison.csv"), Csv(scenarios));
        string md = Markdown(scenarios, pairs, title);
        File.WriteAllText(Path.Combine(directory, "comparison.md"), md);
        return md;
    }

    /// <summary>Pairs every target present in both scenarios.</summary>
    public static IReadOnlyList<ScenarioPairRow> Pairs(IReadOnlyList<ScenarioComparison> scenarios, IEnumerable<(string Base, string Variant)> pairs)
    {
        List<ScenarioPairRow> rows = [];
        foreach ((string baseName, string variantName) in pairs)
        {
            ScenarioComparison? b = scenarios.FirstOrDefault(s => s.Scenario == baseName);
            ScenarioComparison? v = scenarios.FirstOrDefault(s => s.Scenario == variantName);
            if (b is null || v is null)
            {
                continue;
            }

            foreach (TargetSummary vt in v.Targets.Where(t => t.Status == "ok"))
            {
                TargetSummary? bt = b.Targets.FirstOrDefault(t => t.Target == vt.Target && t.Status == "ok" && t.Median > 0);
                if (bt is not null)
                {
                    rows.Add(new ScenarioPairRow(baseName, variantName, vt.Target, Math.Round(vt.Median / bt.Median, 3), bt.MedianProxyCpuUsPerRequest, vt.MedianProxyCpuUsPerRequest));
                }
            }
        }

        return rows;
    }

    private static string Markdown(IReadOnlyList<ScenarioComparison> scenarios, IReadOnlyList<ScenarioPairRow> pairs, string title)
    {
        StringBuilder md = new();
        md.Append("# ").Append(title).Append("\n\n");
        md.Append("## Ratios: PolicyGate ÷ peer (median of per-round ratios [min–max]; CPU = proxy CPU µs per request, PolicyGate ÷ peer)\n\n");
        md.Append("| scenario | PolicyGate | peer | throughput ratio | rounds | CPU/req ratio | added p99 (ms) |\n|---|---|---|---|---|---|---|\n");
        foreach (RatioRow r in scenarios.SelectMany(s => s.Ratios))
        {
            if (r.Status != "ok")
            {
                md.Append(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Subject} | {r.Peer} | n/a ({r.Reason}) | | | |\n");
                continue;
            }

            md.Append(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Subject} | {r.Peer} | **{r.Median:0.00}** [{r.Min:0.00}–{r.Max:0.00}] | {r.PairedRounds} | {RunReportWriter.F(r.CpuPerRequestRatio, "0.00")} | {RunReportWriter.F(r.AddedP99Ms, "0.00")} |\n");
        }

        md.Append("\n## Per target (medians over rounds; spread = (max − min) / median)\n\n");
        md.Append("| scenario | target | throughput | spread | req/s | p50 ms | p99 ms | proxy CPU µs/req | proxy CPU µs/MB | ctx sw/req | client CPU µs/req | rounds (disturbed) | errors |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (ScenarioComparison s in scenarios)
        {
            string unit = s.Metric == "mbps" ? "MB/s" : "req/s";
            foreach (TargetSummary t in s.Targets)
            {
                if (t.Status != "ok")
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {s.Scenario} | {t.Target} | n/a ({t.Reason}) | | | | | | | | | | |\n");
                    continue;
                }

                md.Append(CultureInfo.InvariantCulture, $"| {s.Scenario} | {t.Target} | {t.Median:0.#} {unit} | ±{t.SpreadPercent / 2:0.#}% | {t.MedianRequestsPerSecond:0} | {t.MedianP50Ms:0.00} | {t.MedianP99Ms:0.00} | {RunReportWriter.F(t.MedianProxyCpuUsPerRequest, "0.0")} | {RunReportWriter.F(t.MedianProxyCpuUsPerMB, "0")} | {RunReportWriter.F(t.MedianContextSwitchesPerRequest, "0.00")} | {t.MedianClientCpuUsPerRequest:0.0} | {t.Rounds} ({t.DisturbedRounds}) | {t.Errors} |\n");
            }
        }

        if (pairs.Count > 0)
        {
            md.Append("\n## Same target, two scenarios (variant ÷ base)\n\n| base | variant | target | throughput ratio | proxy CPU µs/req base → variant |\n|---|---|---|---|---|\n");
            foreach (ScenarioPairRow p in pairs)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {p.Base} | {p.Variant} | {p.Target} | {p.ThroughputRatio:0.00} | {RunReportWriter.F(p.CpuPerRequestBase, "0.0")} → {RunReportWriter.F(p.CpuPerRequestVariant, "0.0")} |\n");
            }
        }

        return md.ToString();
    }

    private static string Csv(IReadOnlyList<ScenarioComparison> scenarios)
    {
        StringBuilder csv = new("kind,scenario,target,peer,status,reason,median,min,max,spread_pct,p99_ms,proxy_cpu_us_per_req,proxy_cpu_us_per_mb,cpu_ratio,rounds,disturbed\n");
        foreach (ScenarioComparison s in scenarios)
        {
            foreach (TargetSummary t in s.Targets)
            {
                csv.AppendJoin(',', new object?[] { "target", s.Scenario, t.Target, "", t.Status, t.Reason, t.Median, t.Min, t.Max, t.SpreadPercent, t.MedianP99Ms, t.MedianProxyCpuUsPerRequest, t.MedianProxyCpuUsPerMB, null, t.Rounds, t.DisturbedRounds }.Select(RunReportWriter.Csv)).Append('\n');
            }

            foreach (RatioRow r in s.Ratios)
            {
                csv.AppendJoin(',', new object?[] { "ratio", s.Scenario, r.Subject, r.Peer, r.Status, r.Reason, r.Median, r.Min, r.Max, null, r.AddedP99Ms, null, null, r.CpuPerRequestRatio, r.PairedRounds, null }.Select(RunReportWriter.Csv)).Append('\n');
            }
        }

        return csv.ToString();
    }
}
