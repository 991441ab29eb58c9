using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;

namespace PolicyGate.Core.Tests.Audit;

/// <summary>A temp audit directory with fresh keys, a writer factory and helpers to read and tamper with its files.</summary>
internal sealed class AuditTestDirectory : IDisposable
{
    public AuditTestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pg-audit-" + Guid.NewGuid().ToString("N")[..12], "audit");
    }

    public string Path { get; }
    public AuditHmacKey Key { get; } = AuditHmacKey.Generate();
    public AuditSigningKey SigningKey { get; } = AuditSigningKey.Generate();
    public List<string> Warnings { get; } = [];

    public string CheckpointsPath => System.IO.Path.Combine(Path, AuditChainFormat.CheckpointsFile);

    public AuditChainWriter Open(long segmentMaxBytes = AuditChainOptions.DefaultSegmentMaxBytes, AuditFsyncMode fsync = AuditFsyncMode.Interval,
        TimeSpan? checkpointEvery = null, Action<long>? onEntryWritten = null) =>
        AuditChainWriter.Open(new AuditChainOptions
        {
            Directory = Path,
            NodeId = "node-a",
            HmacKey = Key,
            SigningKey = SigningKey,
            Fsync = fsync,
            SegmentMaxBytes = segmentMaxBytes,
            CheckpointEvery = checkpointEvery,
            OnEntryWritten = onEntryWritten,
            OnWarning = message => { lock (Warnings) { Warnings.Add(message); } },
        });

    /// <summary>Writes <paramref name="count"/> entries through a writer and closes it (final checkpoint).</summary>
    public async Task WriteChainAsync(int count, long segmentMaxBytes = AuditChainOptions.DefaultSegmentMaxBytes)
    {
        await using AuditChainWriter writer = Open(segmentMaxBytes);
        for (int i = 0; i < count; i++)
        {
            writer.Enqueue(Event(i));
        }
    }

    public static AuditEvent Event(int i) =>
        new("test.event", i % 2 == 0 ? "allow" : "deny", "reason " + i, "subject-" + i, "tenant-x", new JsonObject { ["i"] = i, ["note"] = "é\u2028\"" });

    public AuditVerifyReport Verify(AuditHmacKey? key = null, AuditVerifyKey? checkpointKey = null) =>
        AuditChainVerifier.Verify(Path, key ?? Key, checkpointKey ?? SigningKey.PublicKey);

    public List<string> Segments() => AuditChainFormat.ListSegments(Path).Select(s => s.Path).ToList();

    /// <summary>All entry lines of all segments in order.</summary>
    public List<string> EntryLines() => Segments().SelectMany(ReadLines).ToList();

    public static List<string> ReadLines(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using StreamReader reader = new(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public static void WriteLines(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));

    public static JsonObject Parse(string line) => JsonNode.Parse(line)!.AsObject();

    public void Dispose()
    {
        SigningKey.Dispose();
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
