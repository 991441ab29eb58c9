namespace PolicyGate.Acme;

/// <summary>Label values and audit kinds of the ACME service.</summary>
public static class AcmeConstants
{
    public const string KindIssue = "issue";
    public const string KindRenew = "renew";
    public const string OutcomeOk = "ok";
    public const string OutcomeError = "error";

    public const string AuditKindIssue = "acme.issue";
    public const string AuditKindRenew = "acme.renew";

    public const string CloudflareTokenVariable = "POLICYGATE_CLOUDFLARE_API_TOKEN";
}
