namespace PolicyGate.Core.Inspection;

/// <summary>One finding: which detector, on which channel, at which absolute byte offset of the (decoded) body.</summary>
public readonly record struct DetectionHit(string Detector, DetectionChannel Channel, long Offset, int Length)
{
    public long End => Offset + Length;
}
