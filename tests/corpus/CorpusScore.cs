namespace PolicyGate.Tests.Corpus;

/// <summary>Counts for one detector over the corpus.</summary>
public sealed class DetectorScore(string detector)
{
    public string Detector { get; } = detector;
    public int Labels { get; set; }
    public int Found { get; set; }
    public int TruePositiveHits { get; set; }
    public int FalsePositiveHits { get; set; }
    public int NegativeDocumentsHit { get; set; }

    public double Precision => TruePositiveHits + FalsePositiveHits == 0 ? 1 : TruePositiveHits / (double)(TruePositiveHits + FalsePositiveHits);
    public double Recall => Labels == 0 ? 1 : Found / (double)Labels;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
