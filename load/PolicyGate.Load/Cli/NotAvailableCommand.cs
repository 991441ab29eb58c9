using PolicyGate.Load.Reporting;
using PolicyGate.Load.Running;

namespace PolicyGate.Load.Cli;

/// <summary><c>na</c>: records that a scenario could not run against a target, and why (never a made-up number).</summary>
public static class NotAvailableCommand
{
    public const string Usage = "na --scenario NAME --target LABEL --reason TEXT [--round N] [--metric rps|mbps] [--out load/reports]";

    public static int Run(string[] args)
    {
        ArgumentReader a = new(args, new HashSet<string>());
        string scenario = a.Required("--scenario");
        string target = a.Required("--target");
        string reason = a.Required("--reason");
        int round = (int)a.Long("--round", 1, 0, 10_000);
        string metric = a.Optional("--metric") ?? "rps";
        string outDir = a.Optional("--out") ?? Path.Combine("load", "reports");
        a.RejectUnknown();
        if (a.Errors.Count > 0)
        {
            a.Errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine("usage: policygate-load " + Usage);
            return 2;
        }

        RunReportWriter.Write(outDir, ScenarioResult.NotAvailable(scenario, target, round, metric, reason));
        Console.WriteLine($"{scenario} {target} r{round}: n/a ({reason})");
        return 0;
    }
}
