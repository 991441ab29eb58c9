using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;

namespace PolicyGate.Core.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    [Fact]
    public void EmptyDirectoryIsAValidEmptyChain()
    {
        using AuditTestDirectory dir = new();
        Directory.CreateDirectory(dir.Path);
        AuditVerifyReport report = dir.Verify();
        Assert.Equal("0/0 entries valid, 0/0 checkpoints valid", report.ToText());
        Assert.Equal("""{"valid":true,"entries_total":0,"entries_valid":0,"checkpoints_total":0,"checkpoints_valid":0,"first_error":null}""", report.ToJson().ToJsonString());
    }

    [Fact]
    public async Task ModifiedFieldIsAMacMismatch()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(8);
        Rewrite(dir, lines => lines[4] = lines[4].Replace("\"decision\":\"allow\"", "\"decision\":\"deny\""));
        AssertError(dir.Verify(), 5, AuditVerifyReasons.MacMismatch, entriesValid: 4, entriesTotal: 8);
    }

    [Fact]
    public async Task DeletedEntryIsASeqGap()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(8);
        Rewrite(dir, lines => lines.RemoveAt(2));
        AssertError(dir.Verify(), 3, AuditVerifyReasons.SeqGap, entriesValid: 2, entriesTotal: 7);
    }

    [Fact]
    public async Task DeletedFirstSegmentIsASeqGapAtOne()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(30, segmentMaxBytes: 2048);
        File.Delete(dir.Segments()[0]);
        AssertError(dir.Verify(), 1, AuditVerifyReasons.SeqGap, entriesValid: 0, entriesTotal: null);
    }

    [Fact]
    public async Task SwappedPairIsSeqOutOfOrder()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(8);
        Rewrite(dir, lines => (lines[5], lines[6]) = (lines[6], lines[5]));
        AssertError(dir.Verify(), 6, AuditVerifyReasons.SeqOutOfOrder, entriesValid: 5, entriesTotal: 8);
    }

    [Fact]
    public async Task TruncatedTailBeforeTheLastCheckpointIsDetected()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(8);
        Rewrite(dir, lines => lines.RemoveRange(6, 2));
        AuditVerifyReport report = dir.Verify();
        AssertError(report, 7, AuditVerifyReasons.TruncatedBeforeCheckpoint, entriesValid: 6, entriesTotal: 6);
        Assert.Equal(0, report.CheckpointsValid);
        Assert.Contains("checkpoint names seq 8, entries end at seq 6", report.ToText());
    }

    [Fact]
    public async Task EditedKeyIdIsAnUnknownKeyId()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        Rewrite(dir, lines => lines[3] = lines[3].Replace(dir.Key.KeyId, "hmac-0123456789abcdef"));
        AssertError(dir.Verify(), 4, AuditVerifyReasons.UnknownKeyId, entriesValid: 3, entriesTotal: 5);
    }

    [Fact]
    public async Task WrongHmacKeyIsAnUnknownKeyIdAtSeqOne()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        AssertError(dir.Verify(key: AuditHmacKey.Generate()), 1, AuditVerifyReasons.UnknownKeyId, entriesValid: 0, entriesTotal: 5);
    }

    [Fact]
    public async Task CheckpointSignedByAnotherKeyIsAnUnknownKeyId()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        using AuditSigningKey other = AuditSigningKey.Generate();
        AuditVerifyReport report = dir.Verify(checkpointKey: other.PublicKey);
        AssertError(report, 5, AuditVerifyReasons.UnknownKeyId, entriesValid: 5, entriesTotal: 5);
        Assert.Equal(0, report.CheckpointsValid);
    }

    [Fact]
    public async Task EditedCheckpointIsABadSignature()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        List<string> checkpoints = AuditTestDirectory.ReadLines(dir.CheckpointsPath);
        JsonObject checkpoint = AuditTestDirectory.Parse(checkpoints[0]);
        checkpoint["seq"] = 4;
        AuditTestDirectory.WriteLines(dir.CheckpointsPath, [checkpoint.ToJsonString()]);
        AssertError(dir.Verify(), 4, AuditVerifyReasons.BadCheckpointSignature, entriesValid: 5, entriesTotal: 5);
    }

    [Fact]
    public async Task EntryFromAnotherChainWithTheSameKeyIsAPrevMismatch()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        List<string> original = dir.EntryLines();
        // A second chain under the same key (e.g. the node restarted with a wiped directory): entry 3 is authentic but links elsewhere.
        Directory.Delete(dir.Path, recursive: true);
        await dir.WriteChainAsync(5);
        string foreign = dir.EntryLines()[2];
        Directory.Delete(dir.Path, recursive: true);
        Directory.CreateDirectory(dir.Path);
        original[2] = foreign;
        AuditTestDirectory.WriteLines(Path.Combine(dir.Path, "audit-1.jsonl"), original);
        AssertError(dir.Verify(), 3, AuditVerifyReasons.PrevMismatch, entriesValid: 2, entriesTotal: 5);
    }

    [Fact]
    public async Task CheckpointOfARewrittenChainIsACheckpointMismatch()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        List<string> checkpoints = AuditTestDirectory.ReadLines(dir.CheckpointsPath);
        Directory.Delete(dir.Path, recursive: true);
        await dir.WriteChainAsync(5);
        AuditTestDirectory.WriteLines(dir.CheckpointsPath, checkpoints);
        AssertError(dir.Verify(), 5, AuditVerifyReasons.CheckpointMismatch, entriesValid: 5, entriesTotal: 5);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"seq\":3}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    public async Task MalformedLineIsNamed(string garbage)
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(5);
        Rewrite(dir, lines => lines[2] = garbage);
        AssertError(dir.Verify(), 3, AuditVerifyReasons.MalformedLine, entriesValid: 2, entriesTotal: 5);
    }

    [Fact]
    public async Task MalformedCheckpointLineIsNamed()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(2);
        File.AppendAllText(dir.CheckpointsPath, "{\"seq\":\n");
        AuditVerifyReport report = dir.Verify();
        Assert.Equal(AuditVerifyReasons.MalformedCheckpoint, report.FirstError?.Reason);
        Assert.Equal(2, report.CheckpointsTotal);
        Assert.Equal(1, report.CheckpointsValid);
    }

    [Fact]
    public void ReportJsonHasTheDesignShape()
    {
        AuditVerifyReport report = new(10, 4, 3, 2, new AuditVerifyError(5, AuditVerifyReasons.MacMismatch, "audit-1.jsonl:5"));
        Assert.Equal("""{"valid":false,"entries_total":10,"entries_valid":4,"checkpoints_total":3,"checkpoints_valid":2,"first_error":{"seq":5,"reason":"mac mismatch"}}""",
            report.ToJson().ToJsonString());
        Assert.Equal("seq 5: mac mismatch (audit-1.jsonl:5); 4/10 entries valid, 2/3 checkpoints valid", report.ToText());
    }

    private static void Rewrite(AuditTestDirectory dir, Action<List<string>> change)
    {
        string segment = Assert.Single(dir.Segments());
        List<string> lines = AuditTestDirectory.ReadLines(segment);
        change(lines);
        File.WriteAllText(segment, string.Concat(lines.Select(l => l + "\n")));
    }

    private static void AssertError(AuditVerifyReport report, long seq, string reason, int entriesValid, int? entriesTotal)
    {
        Assert.False(report.Valid, report.ToText());
        Assert.Equal(reason, report.FirstError!.Reason);
        Assert.Equal(seq, report.FirstError.Seq);
        Assert.Equal(entriesValid, report.EntriesValid);
        if (entriesTotal is not null)
        {
            Assert.Equal(entriesTotal.Value, report.EntriesTotal);
        }
    }
}
