using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>The result of verifying a chain: counts and the first error (DESIGN §11 report shape).</summary>
public sealed record AuditVerifyReport(int EntriesTotal, int EntriesValid, int CheckpointsTotal, int CheckpointsValid, AuditVerifyError? FirstError)
{
    public bool Valid => FirstError is null;

    /// <summary>{valid, entries_total, entries_valid, checkpoints_total, checkpoints_valid, first_error: {seq, reason} | null}.</summary>
    public JsonObject ToJson() => new()
    {
        ["valid"] = Valid,
        ["entries_total"] = EntriesTotal,
        ["entries_valid"] = EntriesValid,
        ["checkpoints_total"] = CheckpointsTotal,
        ["checkpoints_valid"] = CheckpointsValid,
        ["first_error"] = FirstError is null ? null : new JsonObject { ["seq"] = FirstError.Seq, ["reason"] = FirstError.Reason },
    };

    /// <summary>"N/N entries valid, K/K checkpoints valid", or "seq S: reason (...)" when broken.</summary>
    public string ToText()
    {
        string counts = $"{EntriesValid}/{EntriesTotal} entries valid, {CheckpointsValid}/{CheckpointsTotal} checkpoints valid";
        if (FirstError is null)
        {
            return counts;
        }
        string detail = FirstError.Detail is null ? "" : $" ({FirstError.Detail})";
        return $"seq {FirstError.Seq}: {FirstError.Reason}{detail}; {counts}";
    }
}
