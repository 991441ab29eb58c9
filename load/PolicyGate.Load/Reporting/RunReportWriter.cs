using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyGate.Load.Running;

namespace PolicyGate.Load.Reporting;

/// <summary>Writes one run's report as Markdown, CSV and JSON, and appends it to the results log of the report directory.</summary>
public static class RunReportWriter
{
    public const string ResultsLogName = "results.jsonl";

    public static readonly string[] CsvColumns =
    [
        "scenario", "target", "round", "status", "reason", "metric", "client", "simulation", "started_utc", "duration_s",
        "requests", "errors", "errors_by_kind", "bytes", "rps", "mb_per_s", "lat_mean_ms", "lat_p50_ms", "lat_p75_ms", "lat_p95_ms",
        "lat_p99_ms", "lat_max_ms", "proxy_cpu_ms", "proxy_cpu_us_per_req", "proxy_cpu_us_per_mb", "proxy_ctxsw_per_req",
        "backend_cpu_us_per_req", "client_cpu_us_per_req", "machine_busy", "other_busy", "loadavg1", "disturbed",
    ];

    /// <summary>Writes the three files and appends to results.jsonl; returns the path of the Markdown file.</summary>
    public static string Write(string directory, ScenarioResult result)
    {
        string runs = Path.Combine(directory, "runs");
        Directory.CreateDirectory(runs);
        string stem = Path.Combine(runs, $"{Safe(result.Scenario)}__{Safe(result.Target)}__r{result.Round}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(result, ReportJson.Indented));
        File.WriteAllText(stem + ".csv", string.Join(',', CsvColumns) + "\n" + CsvRow(result) + "\n");
        File.WriteAllText(stem + ".md", Markdown(result));
        File.AppendAllText(Path.Combine(directory, ResultsLogName), JsonSerializer.Serialize(result, ReportJson.Options) + "\n");
        return stem + ".md";
    }

    public static string CsvRow(ScenarioResult r)
    {
        string errors = string.Join(';', r.ErrorsByKind.Select(e => $"{e.Key}={e.Value}"));
        object?[] values =
        [
            r.Scenario, r.Target, r.Round, r.Status, r.Reason, r.Metric, r.Client, r.Simulation, r.StartedUtc.ToString("O", CultureInfo.InvariantCulture),
            r.DurationSeconds, r.Requests, r.Errors, errors, r.Bytes, r.RequestsPerSecond, r.MegabytesPerSecond, r.LatencyMeanMs,
            r.LatencyP50Ms, r.LatencyP75Ms, r.LatencyP95Ms, r.LatencyP99Ms, r.LatencyMaxMs, r.ProxyCpuMs, r.ProxyCpuUsPerRequest,
            r.ProxyCpuUsPerMB, r.ProxyContextSwitchesPerRequest, r.BackendCpuUsPerRequest, r.ClientCpuUsPerRequest, r.MachineBusy,
            r.OtherBusy, r.LoadAverage1, r.Disturbed,
        ];
        return string.Join(',', values.Select(Csv));
    }

    public static string Csv(object? value)
    {
        string text = value switch
        {
            null => "",
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string Markdown(ScenarioResult r)
    {
        StringBuilder md = new();
        md.Append(CultureInfo.InvariantCulture, $"# {r.Scenario} → {r.Target} (round {r.Round})\n\n");
        if (r.Status != "ok")
        {
            md.Append(CultureInfo.InvariantCulture, $"n/a ({r.Reason})\n");
            return md.ToString();
        }

        md.Append(CultureInfo.InvariantCulture, $"client `{r.Client}`, simulation `{r.Simulation}`, {r.DurationSeconds:0.##} s measured, started {r.StartedUtc:u}\n\n");
        md.Append("| metric | value |\n|---|---|\n");
        Row(md, "requests", r.Requests.ToString(CultureInfo.InvariantCulture));
        Row(md, "errors", r.Errors == 0 ? "0" : $"{r.Errors} ({string.Join(", ", r.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}"))})");
        Row(md, "req/s", F(r.RequestsPerSecond, "0"));
        Row(md, "MB/s", F(r.MegabytesPerSecond, "0.0"));
        Row(md, "latency p50 / p75 / p95 / p99 / max (ms)", $"{F(r.LatencyP50Ms)} / {F(r.LatencyP75Ms)} / {F(r.LatencyP95Ms)} / {F(r.LatencyP99Ms)} / {F(r.LatencyMaxMs)}");
        Row(md, "proxy CPU µs/request", F(r.ProxyCpuUsPerRequest, "0.0"));
        Row(md, "proxy CPU µs/MB", F(r.ProxyCpuUsPerMB, "0"));
        Row(md, "proxy context switches/request", F(r.ProxyContextSwitchesPerRequest, "0.00"));
        Row(md, "backend CPU µs/request", F(r.BackendCpuUsPerRequest, "0.0"));
        Row(md, "client CPU µs/request", F(r.ClientCpuUsPerRequest, "0.0"));
        Row(md, "machine busy / other processes", $"{r.MachineBusy:P0} / {r.OtherBusy:P0}{(r.Disturbed ? " (DISTURBED)" : "")}");
        Row(md, "load average (1 min) at start", F(r.LoadAverage1, "0.00"));
        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, string value) => md.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");

    public static string F(double? value, string format = "0.000") => value is null ? "-" : value.Value.ToString(format, CultureInfo.InvariantCulture);

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
