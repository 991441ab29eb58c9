namespace PolicyGate.Core.Inspection;

/// <summary>
/// 1oo2D voter over one response: the response is judged bad if either channel hits; when exactly one channel hits
/// the channels disagree, which is a diagnostic event (metric + audit), never a reason to pass.
/// </summary>
public sealed class InspectionVoter
{
    private readonly List<string> _detectors = [];

    public bool AutomatonHit { get; private set; }
    public bool RulesHit { get; private set; }

    /// <summary>Distinct detectors that hit, in the order first seen.</summary>
    public IReadOnlyList<string> Detectors => _detectors;

    /// <summary>The first detector that hit (named in X-PolicyGate-Blocked), or null.</summary>
    public string? FirstDetector => _detectors.Count > 0 ? _detectors[0] : null;

    public bool Blocks => AutomatonHit || RulesHit;

    public bool Disagreement => AutomatonHit != RulesHit;

    public void Add(DetectionHit hit)
    {
        if (hit.Channel == DetectionChannel.Automaton)
        {
            AutomatonHit = true;
        }
        else
        {
            RulesHit = true;
        }

        if (!_detectors.Contains(hit.Detector))
        {
            _detectors.Add(hit.Detector);
        }
    }

    public void AddRange(IEnumerable<DetectionHit> hits)
    {
        foreach (DetectionHit hit in hits)
        {
            Add(hit);
        }
    }
}
