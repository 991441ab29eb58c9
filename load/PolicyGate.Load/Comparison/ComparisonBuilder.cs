using PolicyGate.Load.Running;

namespace PolicyGate.Load.Comparison;

/// <summary>Groups run results by scenario and target, takes medians over rounds and pairs PolicyGate with each peer round by round.</summary>
public static class ComparisonBuilder
{
    /// <summary>Targets whose name starts with this are the subjects of the ratios.</summary>
    public const string SubjectPrefix = "policygate";

    public static IReadOnlyList<ScenarioComparison> Build(IReadOnlyList<ScenarioResult> results)
    {
        List<ScenarioComparison> scenarios = [];
        foreach (IGrouping<string, ScenarioResult> scenario in results.GroupBy(r => r.Scenario))
        {
            List<string> targetOrder = scenario.Select(r => r.Target).Distinct().ToList();
            Dictionary<string, TargetSummary> targets = targetOrder.ToDictionary(t => t, t => Summarize(t, scenario.Where(r => r.Target == t).ToList()));
            List<RatioRow> ratios = [];
            foreach (string subject in targetOrder.Where(IsSubject))
            {
                // Two PolicyGate variants are compared once: the later one (e.g. block) against the earlier (off).
                foreach (string peer in targetOrder.Where(t => t != subject && !(IsSubject(t) && targetOrder.IndexOf(t) > targetOrder.IndexOf(subject))))
                {
                    ratios.Add(Ratio(scenario.Key, subject, peer, scenario.ToList(), targets[subject], targets[peer]));
                }
            }

            scenarios.Add(new ScenarioComparison
            {
                Scenario = scenario.Key,
                Metric = (scenario.FirstOrDefault(r => r.Status == "ok") ?? scenario.First()).Metric,
                Targets = targetOrder.Select(t => targets[t]).ToList(),
                Ratios = ratios,
            });
        }

        return scenarios;
    }

    private static bool IsSubject(string target) => target.StartsWith(SubjectPrefix, StringComparison.Ordinal);

    /// <summary>Uses undisturbed rounds when there are any, else all rounds (and says so through DisturbedRounds).</summary>
    private static List<ScenarioResult> Usable(List<ScenarioResult> runs)
    {
        List<ScenarioResult> ok = runs.Where(r => r.Status == "ok").ToList();
        List<ScenarioResult> quiet = ok.Where(r => !r.Disturbed).ToList();
        return quiet.Count > 0 ? quiet : ok;
    }

    private static TargetSummary Summarize(string target, List<ScenarioResult> runs)
    {
        List<ScenarioResult> usable = Usable(runs);
        if (usable.Count == 0)
        {
            ScenarioResult? na = runs.FirstOrDefault(r => r.Status != "ok");
            return new TargetSummary { Target = target, Status = "n/a", Reason = na?.Reason ?? "no successful run", Rounds = runs.Count };
        }

        double median = Stats.Median(usable.Select(r => r.Value));
        double min = usable.Min(r => r.Value);
        double max = usable.Max(r => r.Value);
        return new TargetSummary
        {
            Target = target,
            Rounds = runs.Count(r => r.Status == "ok"),
            DisturbedRounds = runs.Count(r => r.Status == "ok" && r.Disturbed),
            Median = median,
            Min = min,
            Max = max,
            SpreadPercent = median > 0 ? Math.Round((max - min) / median * 100, 1) : 0,
            MedianRequestsPerSecond = Stats.Median(usable.Select(r => r.RequestsPerSecond)),
            MedianP50Ms = Stats.Median(usable.Select(r => r.LatencyP50Ms)),
            MedianP99Ms = Stats.Median(usable.Select(r => r.LatencyP99Ms)),
            MedianProxyCpuUsPerRequest = Stats.MedianOrNull(usable.Select(r => r.ProxyCpuUsPerRequest)),
            MedianProxyCpuUsPerMB = Stats.MedianOrNull(usable.Select(r => r.ProxyCpuUsPerMB)),
            MedianContextSwitchesPerRequest = Stats.MedianOrNull(usable.Select(r => r.ProxyContextSwitchesPerRequest)),
            MedianClientCpuUsPerRequest = Stats.Median(usable.Select(r => r.ClientCpuUsPerRequest)),
            Errors = usable.Sum(r => r.Errors),
        };
    }

    private static RatioRow Ratio(string scenario, string subject, string peer, List<ScenarioResult> runs, TargetSummary subjectSummary, TargetSummary peerSummary)
    {
        if (subjectSummary.Status != "ok" || peerSummary.Status != "ok")
        {
            TargetSummary missing = subjectSummary.Status != "ok" ? subjectSummary : peerSummary;
            return new RatioRow { Scenario = scenario, Subject = subject, Peer = peer, Status = "n/a", Reason = $"{missing.Target}: {missing.Reason}" };
        }

        Dictionary<int, ScenarioResult> subjectRounds = Usable(runs.Where(r => r.Target == subject).ToList()).GroupBy(r => r.Round).ToDictionary(g => g.Key, g => g.First());
        List<double> perRound = [];
        foreach (ScenarioResult p in Usable(runs.Where(r => r.Target == peer).ToList()))
        {
            if (subjectRounds.TryGetValue(p.Round, out ScenarioResult? s) && p.Value > 0)
            {
                perRound.Add(s.Value / p.Value);
            }
        }

        if (perRound.Count == 0 && peerSummary.Median > 0)
        {
            perRound.Add(subjectSummary.Median / peerSummary.Median);
        }

        double? cpu = subjectSummary.MedianProxyCpuUsPerRequest is double sc && peerSummary.MedianProxyCpuUsPerRequest is double pc && pc > 0 ? sc / pc : null;
        return new RatioRow
        {
            Scenario = scenario,
            Subject = subject,
            Peer = peer,
            PairedRounds = perRound.Count,
            Median = Math.Round(Stats.Median(perRound), 3),
            Min = perRound.Count > 0 ? Math.Round(perRound.Min(), 3) : 0,
            Max = perRound.Count > 0 ? Math.Round(perRound.Max(), 3) : 0,
            CpuPerRequestRatio = cpu is null ? null : Math.Round(cpu.Value, 2),
            AddedP99Ms = Math.Round(subjectSummary.MedianP99Ms - peerSummary.MedianP99Ms, 3),
        };
    }
}
