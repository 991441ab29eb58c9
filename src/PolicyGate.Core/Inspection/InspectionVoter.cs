namespace PolicyGate.Core.Inspection;

/// <summary>
/// 1oo2D voter over one response: the response is judged bad if either channel hits. A disagreement (diagnostic: metric
/// + audit, never a reason to pass) is a shared risk (<see cref="InspectionRisks"/>) that one channel flagged while the
/// other channel, which covers that risk for the tenant, did not.
/// </summary>
public sealed class InspectionVoter
{
    /// <summary>Spans kept per kind for the secret overlap test (a response with more is judged on the first ones).</summary>
    private const int MaxTrackedSpans = 256;

    private readonly List<string> _detectors = [];
    private readonly List<DetectionHit> _leaks = [];
    private readonly List<DetectionHit> _secrets = [];
    private readonly RiskCoverage _coverage;
    private bool _leakOverflow;
    private bool _framed;

    public InspectionVoter()
        : this(RiskCoverage.All)
    {
    }

    public InspectionVoter(RiskCoverage coverage) => _coverage = coverage;

    public bool AutomatonHit { get; private set; }
    public bool RulesHit { get; private set; }

    /// <summary>Distinct detectors that hit, in the order first seen.</summary>
    public IReadOnlyList<string> Detectors => _detectors;

    /// <summary>The first detector that hit (named in X-PolicyGate-Blocked), or null.</summary>
    public string? FirstDetector => _detectors.Count > 0 ? _detectors[0] : null;

    public bool Blocks => AutomatonHit || RulesHit;

    public bool Disagreement => Disagreements.Count > 0;

    /// <summary>The shared risks on which the channels disagree for the hits seen so far.</summary>
    public IReadOnlyList<RiskDisagreement> Disagreements
    {
        get
        {
            List<RiskDisagreement> result = [];

            // A protected string leaked where F saw a secret is a canary: both channels flagged the secret risk, and
            // that leak is not judged again under leakage. Any other leak is prompt leakage, F's part being framing.
            bool canary = _secrets.Exists(s => _leaks.Exists(l => Overlaps(l, s)));
            bool promptLeak = _leakOverflow || _leaks.Exists(l => !_secrets.Exists(s => Overlaps(l, s)));
            if (promptLeak && !_framed && _coverage.LeakageByRules)
            {
                result.Add(new RiskDisagreement(InspectionRisks.Leakage, DetectionChannel.Automaton));
            }
            else if (_framed && !promptLeak && _coverage.LeakageByAutomaton)
            {
                result.Add(new RiskDisagreement(InspectionRisks.Leakage, DetectionChannel.Rules));
            }

            if (_secrets.Count > 0 && !canary && _coverage.SecretByAutomaton)
            {
                result.Add(new RiskDisagreement(InspectionRisks.Secret, DetectionChannel.Rules));
            }

            return result;
        }
    }

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

        switch (hit.Detector)
        {
            case DetectorNames.Leakage:
                _leakOverflow |= !Track(_leaks, hit);
                break;
            case DetectorNames.Framing:
                _framed = true;
                break;
            case DetectorNames.Entropy or DetectorNames.SecretPrefix:
                Track(_secrets, hit);
                break;
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

    private static bool Track(List<DetectionHit> spans, DetectionHit hit)
    {
        if (spans.Count >= MaxTrackedSpans)
        {
            return false;
        }

        spans.Add(hit);
        return true;
    }

    private static bool Overlaps(DetectionHit a, DetectionHit b) => a.Offset < b.End && b.Offset < a.End;
}
