using System.Text.Json;
using PolicyGate.Load.Comparison;
using PolicyGate.Load.Reporting;
using PolicyGate.Load.Running;

namespace PolicyGate.Load.Cli;

/// <summary><c>compare</c>: reads results.jsonl and writes the ratio tables (comparison.md/.csv/.json), printing the Markdown.</summary>
public static class CompareCommand
{
    public const string Usage = "compare [--out load/reports] [--results FILE] [--pair BASE:VARIANT]... [--title TEXT]";

    public static int Run(string[] args)
    {
        ArgumentReader a = new(args, new HashSet<string>());
        string outDir = a.Optional("--out") ?? Path.Combine("load", "reports");
        string results = a.Optional("--results") ?? Path.Combine(outDir, RunReportWriter.ResultsLogName);
        string title = a.Optional("--title") ?? "PolicyGate vs peers";
        List<(string, string)> pairs = [];
        foreach (string pair in a.All("--pair"))
        {
            string[] parts = pair.Split(':');
            if (parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0)
            {
                pairs.Add((parts[0], parts[1]));
            }
            else
            {
                a.Errors.Add($"--pair {pair}: expected BASE:VARIANT");
            }
        }

        a.RejectUnknown();
        if (!File.Exists(results))
        {
            a.Errors.Add($"{results}: no results file");
        }

        if (a.Errors.Count > 0)
        {
            a.Errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine("usage: policygate-load " + Usage);
            return 2;
        }

        List<ScenarioResult> all = [];
        int lineNumber = 0;
        foreach (string line in File.ReadLines(results))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                ScenarioResult? r = JsonSerializer.Deserialize<ScenarioResult>(line, ReportJson.Options);
                if (r is not null)
                {
                    all.Add(r);
                }
            }
            catch (JsonException e)
            {
                Console.Error.WriteLine($"{results}:{lineNumber}: skipped ({e.Message})");
            }
        }

        IReadOnlyList<ScenarioComparison> scenarios = ComparisonBuilder.Build(all);
        string md = ComparisonWriter.Write(outDir, scenarios, ComparisonWriter.Pairs(scenarios, pairs), title);
        Console.WriteLine(md);
        return 0;
    }
}
