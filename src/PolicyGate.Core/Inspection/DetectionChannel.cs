namespace PolicyGate.Core.Inspection;

/// <summary>The two independent detection channels of the 1oo2D voter.</summary>
public enum DetectionChannel
{
    /// <summary>Channel E: automaton (protected-string leakage and validated PII).</summary>
    Automaton,
    /// <summary>Channel F: rules (entropy, framing phrases, secret prefixes).</summary>
    Rules,
}
