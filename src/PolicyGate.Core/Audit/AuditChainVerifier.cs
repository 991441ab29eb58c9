using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>Verifies an audit directory (entries and checkpoints) from the files alone; never throws on bad content.</summary>
public static class AuditChainVerifier
{
    /// <summary>
    /// Verifies every segment and checkpoint in <paramref name="directory"/>. With <paramref name="liveTail"/> an unterminated last
    /// line (a write in progress on a running node) is skipped instead of reported.
    /// </summary>
    public static AuditVerifyReport Verify(string directory, AuditHmacKey key, AuditVerifyKey? checkpointKey, bool liveTail = false)
    {
        List<SignedCheckpoint> signed = [];
        AuditVerifyError? checkpointError = null;
        int checkpointsTotal = 0;
        string checkpointsPath = Path.Combine(directory, AuditChainFormat.CheckpointsFile);
        foreach (ChainLine line in ReadLines([checkpointsPath], liveTail))
        {
            checkpointsTotal++;
            AuditVerifyError? error = CheckCheckpoint(line, checkpointKey, signed);
            if (error is not null && (checkpointError is null || error.Seq < checkpointError.Seq))
            {
                checkpointError = error;
            }
        }

        EntryWalk walk = new(key, signed.Select(static c => c.Seq).ToHashSet());
        List<string> segments = AuditChainFormat.ListSegments(directory).Select(static s => s.Path).ToList();
        int index = 0;
        foreach (ChainLine line in ReadLines(segments, liveTail))
        {
            walk.Check(line, () => SeqAppearsLater(segments, index + 1, walk.ExpectedSeq));
            index++;
        }

        int checkpointsValid = 0;
        long reached = walk.ExpectedSeq - 1;
        foreach (SignedCheckpoint checkpoint in signed)
        {
            AuditVerifyError? error = null;
            if (checkpoint.Seq <= reached)
            {
                if (walk.MacAt.TryGetValue(checkpoint.Seq, out string? mac) && FixedTimeEquals(mac, checkpoint.HeadMac))
                {
                    checkpointsValid++;
                }
                else
                {
                    error = new AuditVerifyError(checkpoint.Seq, AuditVerifyReasons.CheckpointMismatch, "head_mac differs from the entry's mac");
                }
            }
            else if (walk.Error is null)
            {
                error = new AuditVerifyError(reached + 1, AuditVerifyReasons.TruncatedBeforeCheckpoint,
                    $"checkpoint names seq {checkpoint.Seq}, entries end at seq {reached}");
            }
            if (error is not null && (checkpointError is null || error.Seq < checkpointError.Seq))
            {
                checkpointError = error;
            }
        }

        AuditVerifyError? first = walk.Error;
        if (checkpointError is not null && (first is null || checkpointError.Seq < first.Seq))
        {
            first = checkpointError;
        }
        return new AuditVerifyReport(walk.Total, walk.Valid, checkpointsTotal, checkpointsValid, first);
    }

    private static AuditVerifyError? CheckCheckpoint(ChainLine line, AuditVerifyKey? checkpointKey, List<SignedCheckpoint> signed)
    {
        JsonObject? obj = line.Terminated ? AuditChainFormat.TryParseObject(line.Bytes.Span) : null;
        long? seq = obj is null ? null : AuditChainFormat.GetInt64(obj, "seq");
        string? headMac = obj is null ? null : AuditChainFormat.GetString(obj, "head_mac");
        string? keyId = obj is null ? null : AuditChainFormat.GetString(obj, "key_id");
        string? sig = obj is null ? null : AuditChainFormat.GetString(obj, "sig");
        if (obj is null || seq is null || headMac is null || keyId is null || sig is null)
        {
            long previous = signed.Count > 0 ? signed[^1].Seq : 0;
            return new AuditVerifyError(previous, AuditVerifyReasons.MalformedCheckpoint, line.Where);
        }
        if (checkpointKey is null || !string.Equals(keyId, checkpointKey.KeyId, StringComparison.Ordinal))
        {
            return new AuditVerifyError(seq.Value, AuditVerifyReasons.UnknownKeyId, $"checkpoint key {keyId} at {line.Where}");
        }
        obj.Remove("sig");
        ArrayBufferWriter<byte> canonical = new(256);
        if (!JsonCanonicalizer.TryCanonicalize(obj, canonical, out _) || !checkpointKey.Verify(canonical.WrittenSpan, sig))
        {
            return new AuditVerifyError(seq.Value, AuditVerifyReasons.BadCheckpointSignature, line.Where);
        }
        signed.Add(new SignedCheckpoint(seq.Value, headMac));
        return null;
    }

    private static bool SeqAppearsLater(List<string> segments, int fromIndex, long seq) =>
        ReadLines(segments, liveTail: true).Skip(fromIndex).Any(line =>
            AuditChainFormat.TryParseObject(line.Bytes.Span) is { } obj && AuditChainFormat.GetInt64(obj, "seq") == seq);

    internal static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>Lines of the files in order; an unterminated last line of the last file is dropped when <paramref name="liveTail"/>.</summary>
    private static IEnumerable<ChainLine> ReadLines(List<string> paths, bool liveTail)
    {
        for (int f = 0; f < paths.Count; f++)
        {
            byte[] bytes;
            try
            {
                // Share with the running writer: the admin API verifies live files.
                using FileStream stream = new(paths[f], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // a missing checkpoints file is no checkpoints; an unreadable segment shows up as a seq gap
            }
            string name = Path.GetFileName(paths[f]);
            int start = 0;
            int lineNumber = 0;
            while (start < bytes.Length)
            {
                lineNumber++;
                int newline = bytes.AsSpan(start).IndexOf((byte)'\n');
                bool terminated = newline >= 0;
                int end = terminated ? start + newline : bytes.Length;
                if (!terminated && liveTail && f == paths.Count - 1)
                {
                    yield break;
                }
                yield return new ChainLine(bytes.AsMemory(start, end - start), terminated, $"{name}:{lineNumber}");
                start = end + 1;
            }
        }
    }

    private readonly record struct ChainLine(ReadOnlyMemory<byte> Bytes, bool Terminated, string Where);

    private readonly record struct SignedCheckpoint(long Seq, string HeadMac);

    /// <summary>Walks entries in file order, stopping validation (not counting) at the first error.</summary>
    private sealed class EntryWalk(AuditHmacKey key, HashSet<long> checkpointSeqs)
    {
        private readonly ArrayBufferWriter<byte> _canonical = new(1024);
        private string _head = AuditChainFormat.GenesisMac;

        public long ExpectedSeq { get; private set; } = 1;
        public int Total { get; private set; }
        public int Valid { get; private set; }
        public AuditVerifyError? Error { get; private set; }
        public Dictionary<long, string> MacAt { get; } = new() { [0] = AuditChainFormat.GenesisMac };

        public void Check(ChainLine line, Func<bool> expectedAppearsLater)
        {
            Total++;
            if (Error is null)
            {
                string? reason = Reason(line, expectedAppearsLater, out string? mac);
                if (reason is not null)
                {
                    Error = new AuditVerifyError(ExpectedSeq, reason, line.Where);
                    return;
                }
                if (checkpointSeqs.Contains(ExpectedSeq))
                {
                    MacAt[ExpectedSeq] = mac!;
                }
                _head = mac!;
                ExpectedSeq++;
                Valid++;
            }
        }

        private string? Reason(ChainLine line, Func<bool> expectedAppearsLater, out string? mac)
        {
            JsonObject? entry = line.Terminated ? AuditChainFormat.TryParseObject(line.Bytes.Span) : null;
            mac = entry is null ? null : AuditChainFormat.GetString(entry, "mac");
            long? seq = entry is null ? null : AuditChainFormat.GetInt64(entry, "seq");
            string? keyId = entry is null ? null : AuditChainFormat.GetString(entry, "key_id");
            string? prev = entry is null ? null : AuditChainFormat.GetString(entry, "prev");
            if (entry is null || mac is null || seq is null || keyId is null || prev is null || AuditChainFormat.GetInt64(entry, "v") != AuditChainFormat.Version)
            {
                return AuditVerifyReasons.MalformedLine;
            }
            if (!string.Equals(keyId, key.KeyId, StringComparison.Ordinal))
            {
                return AuditVerifyReasons.UnknownKeyId;
            }
            entry.Remove("mac");
            _canonical.ResetWrittenCount();
            if (!JsonCanonicalizer.TryCanonicalize(entry, _canonical, out _) || !FixedTimeEquals(key.ComputeMac(_canonical.WrittenSpan), mac))
            {
                return AuditVerifyReasons.MacMismatch;
            }
            if (seq != ExpectedSeq)
            {
                return seq < ExpectedSeq || expectedAppearsLater() ? AuditVerifyReasons.SeqOutOfOrder : AuditVerifyReasons.SeqGap;
            }
            return FixedTimeEquals(prev, _head) ? null : AuditVerifyReasons.PrevMismatch;
        }
    }
}
