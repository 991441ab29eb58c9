namespace PolicyGate.Core.Audit;

/// <summary>The reasons <see cref="AuditChainVerifier"/> names for the first broken seq (DESIGN §11).</summary>
public static class AuditVerifyReasons
{
    public const string MacMismatch = "mac mismatch";
    public const string SeqGap = "seq gap";
    /// <summary>The expected entry exists but later in the files (e.g. a swapped pair).</summary>
    public const string SeqOutOfOrder = "seq out of order";
    public const string PrevMismatch = "prev mismatch";
    public const string TruncatedBeforeCheckpoint = "truncated before checkpoint";
    /// <summary>A correctly signed checkpoint names a head_mac that the entry at its seq does not have.</summary>
    public const string CheckpointMismatch = "checkpoint mismatch";
    public const string BadCheckpointSignature = "bad checkpoint signature";
    public const string UnknownKeyId = "unknown key id";
    public const string MalformedLine = "malformed line";
    public const string MalformedCheckpoint = "malformed checkpoint";
}
