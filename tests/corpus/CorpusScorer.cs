using System.Globalization;
using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>A hit as the scorer sees it (detector and byte range of the body).</summary>
public readonly record struct ScoredHit(string Detector, long Offset, int Length)
{
    public long End => Offset + Length;
}

/// <summary>
/// Scores detector hits against the corpus labels: a label is found when a hit of its detector overlaps it; a hit that
/// overlaps no label of its detector is a false positive. Prints per-detector precision/recall/F1, the false-positive
/// rate on hard negatives and clean text, and the worst misses by class; <see cref="Violations"/> lists every threshold broken.
/// </summary>
public sealed class CorpusScorer
{
    public const double StructuredPrecision = 0.98;
    public const double StructuredRecall = 0.97;
    public const double PhoneBoth = 0.90;
    public const double RulesRecall = 0.97;
    public const double MaxFalsePositiveRate = 0.005;

    private static readonly string[] s_structured = ["credit_card", "us_ssn", "email", "iban", "ipv4", "ipv6"];

    private readonly Dictionary<string, DetectorScore> _scores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _misses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _falsePositives = new(StringComparer.Ordinal);
    private int _hardNegatives;
    private int _hardNegativesHit;
    private int _clean;
    private int _cleanHit;

    public CorpusScorer()
    {
        foreach (string detector in DetectionCorpus.Detectors)
        {
            _scores[detector] = new DetectorScore(detector);
        }
    }

    public IReadOnlyDictionary<string, DetectorScore> Scores => _scores;

    public int Documents { get; private set; }

    public double HardNegativeRate => _hardNegatives == 0 ? 0 : _hardNegativesHit / (double)_hardNegatives;

    public double CleanRate => _clean == 0 ? 0 : _cleanHit / (double)_clean;

    public double FalsePositiveRate => _hardNegatives + _clean == 0 ? 0 : (_hardNegativesHit + _cleanHit) / (double)(_hardNegatives + _clean);

    public void Add(CorpusDocument document, IReadOnlyList<ScoredHit> hits)
    {
        Documents++;
        foreach (CorpusLabel label in document.Labels)
        {
            DetectorScore score = Score(label.Detector);
            score.Labels++;
            if (hits.Any(h => h.Detector == label.Detector && h.Offset < label.End && label.Start < h.End))
            {
                score.Found++;
            }
            else
            {
                Note(_misses, $"{label.Detector} {label.Class}", $"{document.Id} [{document.Format}/{document.Language}] {Excerpt(document, label.Start, label.End)}");
            }
        }

        foreach (ScoredHit hit in hits)
        {
            DetectorScore score = Score(hit.Detector);
            if (document.Labels.Any(l => l.Detector == hit.Detector && hit.Offset < l.End && l.Start < hit.End))
            {
                score.TruePositiveHits++;
            }
            else
            {
                score.FalsePositiveHits++;
                Note(_falsePositives, $"{hit.Detector} on {document.Kind} {document.Target} {document.Class}".TrimEnd(),
                    $"{document.Id} [{document.Format}/{document.Language}] {Excerpt(document, hit.Offset, hit.End)}");
            }
        }

        if (document.Kind == CorpusKind.Positive)
        {
            return;
        }

        foreach (string detector in hits.Select(h => h.Detector).Distinct())
        {
            Score(detector).NegativeDocumentsHit++;
        }

        int anyHit = hits.Count > 0 ? 1 : 0;
        if (document.Kind == CorpusKind.HardNegative)
        {
            _hardNegatives++;
            _hardNegativesHit += anyHit;
        }
        else
        {
            _clean++;
            _cleanHit += anyHit;
        }
    }

    /// <summary>Every threshold of issue 13 that the scores break (empty when all hold).</summary>
    public List<string> Violations()
    {
        List<string> violations = [];
        foreach (DetectorScore s in _scores.Values)
        {
            (double p, double r) = s.Detector switch
            {
                _ when s_structured.Contains(s.Detector) => (StructuredPrecision, StructuredRecall),
                "phone" => (PhoneBoth, PhoneBoth),
                "leakage" or "entropy" or "framing" => (0, RulesRecall),
                _ => (0, 0),
            };
            if (s.Precision < p)
            {
                violations.Add($"{s.Detector}: precision {s.Precision:F3} < {p:F2}");
            }

            if (s.Labels > 0 && s.Recall < r)
            {
                violations.Add($"{s.Detector}: recall {s.Recall:F3} < {r:F2}");
            }
        }

        if (FalsePositiveRate > MaxFalsePositiveRate)
        {
            violations.Add($"false-positive rate {FalsePositiveRate:P2} > {MaxFalsePositiveRate:P1}");
        }

        return violations;
    }

    /// <summary>The score table (Markdown) followed by the worst misses and false positives by class.</summary>
    public string Report(int examples = 2)
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"{Documents} documents ({_hardNegatives} hard negatives, {_clean} clean)\n\n");
        text.Append("| detector | labels | precision | recall | F1 | FP hits | negative docs hit |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (DetectorScore s in _scores.Values.OrderBy(s => Array.IndexOf(DetectionCorpus.Detectors, s.Detector) is var i && i < 0 ? 99 : i))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {s.Detector} | {s.Labels} | {s.Precision:F3} | {s.Recall:F3} | {s.F1:F3} | {s.FalsePositiveHits} | {s.NegativeDocumentsHit} |\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\nFalse-positive rate: {FalsePositiveRate:P2} of negative documents ({HardNegativeRate:P2} of {_hardNegatives} hard negatives, {CleanRate:P2} of {_clean} clean)\n");
        AppendWorst(text, "Worst misses by class", _misses, examples);
        AppendWorst(text, "False positives by class", _falsePositives, examples);
        return text.ToString();
    }

    private static void AppendWorst(StringBuilder text, string title, Dictionary<string, List<string>> byClass, int examples)
    {
        text.Append(CultureInfo.InvariantCulture, $"\n{title}:{(byClass.Count == 0 ? " none" : "")}\n");
        foreach ((string @class, List<string> items) in byClass.OrderByDescending(p => p.Value.Count).Take(15))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {items.Count,4}  {@class}\n");
            foreach (string item in items.Take(examples))
            {
                text.Append("          ").Append(item).Append('\n');
            }
        }
    }

    private DetectorScore Score(string detector)
    {
        if (!_scores.TryGetValue(detector, out DetectorScore? score))
        {
            score = new DetectorScore(detector);
            _scores[detector] = score;
        }

        return score;
    }

    private static void Note(Dictionary<string, List<string>> byClass, string @class, string example)
    {
        if (!byClass.TryGetValue(@class, out List<string>? list))
        {
            list = [];
            byClass[@class] = list;
        }

        list.Add(example);
    }

    private static string Excerpt(CorpusDocument document, long start, long end)
    {
        int from = (int)Math.Max(0, start - 24);
        int to = (int)Math.Min(document.Body.Length, end + 16);
        string text = Encoding.UTF8.GetString(document.Body, from, to - from).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        string span = Encoding.UTF8.GetString(document.Body, (int)start, (int)(end - start)).Replace("\n", "\\n", StringComparison.Ordinal);
        return $"«{span}» in …{text}…";
    }
}
