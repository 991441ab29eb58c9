namespace PolicyGate.Core.Inspection;

/// <summary>
/// Risks on which both detection channels have a say; a 1oo2D disagreement is judged per risk (see docs/inspection.md).
/// PII (cards, SSNs, e-mail, phone, IPs, IBANs) is covered by channel E alone, so it never makes a disagreement.
/// </summary>
public static class InspectionRisks
{
    /// <summary>Prompt/instruction leakage: protected strings (E, `leakage`) versus framing phrases (F, `framing`).</summary>
    public const string Leakage = "leakage";

    /// <summary>Credential leakage: secret-shaped tokens (F, `entropy`/`secret_prefix`) versus a protected string (canary) leaked at the same place (E).</summary>
    public const string Secret = "secret";
}
