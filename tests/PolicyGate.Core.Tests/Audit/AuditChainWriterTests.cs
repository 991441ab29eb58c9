using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyGate.Core.Audit;

namespace PolicyGate.Core.Tests.Audit;

public sealed class AuditChainWriterTests
{
    [Fact]
    public async Task WritesCanonicalHmacChainedEntriesThatVerify()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(10);

        List<string> lines = dir.EntryLines();
        Assert.Equal(10, lines.Count);
        Assert.Equal([Path.Combine(dir.Path, "audit-1.jsonl")], dir.Segments());
        string prev = AuditChainFormat.GenesisMac;
        for (int i = 0; i < lines.Count; i++)
        {
            JsonObject entry = AuditTestDirectory.Parse(lines[i]);
            Assert.Equal(["decision", "details", "key_id", "kind", "mac", "node", "prev", "reason", "seq", "subject", "tenant", "ts", "v"],
                entry.Select(p => p.Key).ToArray());
            Assert.Equal(1, entry["v"]!.GetValue<int>());
            Assert.Equal(i + 1, entry["seq"]!.GetValue<long>());
            Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"), entry["ts"]!.GetValue<string>());
            Assert.Equal("node-a", entry["node"]!.GetValue<string>());
            Assert.Matches(new Regex("^hmac-[0-9a-f]{16}$"), entry["key_id"]!.GetValue<string>());
            Assert.Equal("hmac-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(dir.Key.RawKey))[..16], entry["key_id"]!.GetValue<string>());
            Assert.Equal("subject-" + i, entry["subject"]!.GetValue<string>());
            Assert.Equal("tenant-x", entry["tenant"]!.GetValue<string>());
            Assert.Equal(i, entry["details"]!["i"]!.GetValue<int>());
            Assert.Equal(prev, entry["prev"]!.GetValue<string>());
            // The line is itself canonical, and mac is HMAC-SHA256 over the JCS of every other field.
            Assert.Equal(lines[i], Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(entry)));
            string mac = entry["mac"]!.GetValue<string>();
            entry.Remove("mac");
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(dir.Key.RawKey.ToArray(), JsonCanonicalizer.Canonicalize(entry))), mac);
            prev = mac;
        }

        AuditVerifyReport report = dir.Verify();
        Assert.Equal("10/10 entries valid, 1/1 checkpoints valid", report.ToText());
        JsonObject checkpoint = AuditTestDirectory.Parse(AuditTestDirectory.ReadLines(dir.CheckpointsPath).Single());
        Assert.Equal(10, checkpoint["seq"]!.GetValue<long>());
        Assert.Equal(prev, checkpoint["head_mac"]!.GetValue<string>());
        Assert.Equal(dir.SigningKey.PublicKey.KeyId, checkpoint["key_id"]!.GetValue<string>());
        Assert.StartsWith("sha256:", dir.SigningKey.PublicKey.KeyId);
    }

    [Fact]
    public async Task EnqueueReturnsTheSeqTheEntryGets()
    {
        using AuditTestDirectory dir = new();
        await using (AuditChainWriter writer = dir.Open())
        {
            Assert.Equal(1, writer.Enqueue(AuditTestDirectory.Event(0)));
            Assert.Equal(2, writer.Enqueue(AuditTestDirectory.Event(1)));
            Assert.Equal(3, await writer.AppendDurableAsync(AuditTestDirectory.Event(2)));
        }
        Assert.Equal(["subject-0", "subject-1", "subject-2"], dir.EntryLines().Select(l => AuditTestDirectory.Parse(l)["subject"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task ConcurrentEnqueueFromManyThreadsKeepsSeqOrderEqualToFileOrder()
    {
        using AuditTestDirectory dir = new();
        ConcurrentDictionary<long, string> given = new();
        const int threads = 8;
        const int perThread = 400;
        await using (AuditChainWriter writer = dir.Open())
        {
            using Barrier start = new(threads);
            Thread[] workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < perThread; i++)
                {
                    string subject = $"t{t}-{i}";
                    Assert.True(given.TryAdd(writer.Enqueue(new AuditEvent("edge.deny", "deny", "port_policy", subject)), subject));
                }
            })).ToArray();
            foreach (Thread worker in workers)
            {
                worker.Start();
            }
            foreach (Thread worker in workers)
            {
                Assert.True(worker.Join(TimeSpan.FromSeconds(60)));
            }
        }

        List<string> lines = dir.EntryLines();
        Assert.Equal(threads * perThread, lines.Count);
        string previousTs = "";
        for (int i = 0; i < lines.Count; i++)
        {
            JsonObject entry = AuditTestDirectory.Parse(lines[i]);
            Assert.Equal(i + 1, entry["seq"]!.GetValue<long>());
            Assert.Equal(given[i + 1], entry["subject"]!.GetValue<string>());
            string ts = entry["ts"]!.GetValue<string>();
            Assert.True(string.CompareOrdinal(ts, previousTs) >= 0, $"ts {ts} after {previousTs}");
            previousTs = ts;
        }
        Assert.True(dir.Verify().Valid, dir.Verify().ToText());
    }

    [Fact]
    public async Task AppendDurableAsyncEntryIsOnDiskWhenItReturns()
    {
        using AuditTestDirectory dir = new();
        await using AuditChainWriter writer = dir.Open(fsync: AuditFsyncMode.Interval);
        for (int i = 0; i < 5; i++)
        {
            writer.Enqueue(AuditTestDirectory.Event(i));
            long seq = await writer.AppendDurableAsync(new AuditEvent("inspection.block", "block", "pii", "durable-" + i));
            JsonObject last = AuditTestDirectory.Parse(dir.EntryLines()[^1]);
            Assert.Equal(seq, last["seq"]!.GetValue<long>());
            Assert.Equal("durable-" + i, last["subject"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task FsyncAlwaysWritesEachEntryWithoutWaitingForClose()
    {
        using AuditTestDirectory dir = new();
        await using AuditChainWriter writer = dir.Open(fsync: AuditFsyncMode.Always);
        long seq = writer.Enqueue(AuditTestDirectory.Event(0));
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (dir.EntryLines().Count < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Assert.Equal(seq, AuditTestDirectory.Parse(dir.EntryLines().Single())["seq"]!.GetValue<long>());
    }

    [Fact]
    public async Task RotatesSegmentsBySizeNamedByFirstSeq()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(60, segmentMaxBytes: 2048);

        List<string> segments = dir.Segments();
        Assert.True(segments.Count >= 5, $"{segments.Count} segments");
        long expected = 1;
        foreach (string segment in segments)
        {
            Assert.True(new FileInfo(segment).Length <= 2048, $"{segment} is {new FileInfo(segment).Length} bytes");
            List<string> lines = AuditTestDirectory.ReadLines(segment);
            Assert.Equal($"audit-{expected}.jsonl", Path.GetFileName(segment));
            Assert.Equal(expected, AuditTestDirectory.Parse(lines[0])["seq"]!.GetValue<long>());
            expected += lines.Count;
        }
        Assert.Equal(61, expected);
        Assert.Equal("60/60 entries valid, 1/1 checkpoints valid", dir.Verify().ToText());
    }

    [Fact]
    public async Task RestartResumesSeqAndPrevFromTheLastSegment()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(25, segmentMaxBytes: 2048);
        string lastMac = AuditTestDirectory.Parse(dir.EntryLines()[^1])["mac"]!.GetValue<string>();
        int segmentsBefore = dir.Segments().Count;

        await using (AuditChainWriter writer = dir.Open(segmentMaxBytes: 2048))
        {
            Assert.Equal(25, writer.LastWrittenSeq);
            Assert.Equal(26, writer.Enqueue(AuditTestDirectory.Event(100)));
        }

        List<string> lines = dir.EntryLines();
        JsonObject resumed = AuditTestDirectory.Parse(lines[25]);
        Assert.Equal(26, resumed["seq"]!.GetValue<long>());
        Assert.Equal(lastMac, resumed["prev"]!.GetValue<string>());
        Assert.True(dir.Segments().Count - segmentsBefore <= 1);
        Assert.Equal("26/26 entries valid, 2/2 checkpoints valid", dir.Verify().ToText());
    }

    [Fact]
    public async Task TornLastLineIsPreservedReportedAndRecordedNotOverwritten()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(3);
        string segment = dir.Segments().Single();
        byte[] torn = Encoding.UTF8.GetBytes("{\"decision\":\"deny\",\"det");
        await using (FileStream append = new(segment, FileMode.Append))
        {
            append.Write(torn);
        }
        Assert.Equal("seq 4: malformed line (audit-1.jsonl:4); 3/4 entries valid, 1/1 checkpoints valid", dir.Verify().ToText());

        await using (AuditChainWriter writer = dir.Open())
        {
            Assert.Equal(5, writer.Enqueue(AuditTestDirectory.Event(5)));
        }

        string warning = Assert.Single(dir.Warnings);
        Assert.Contains("audit-1.jsonl: torn last line (23 bytes at offset", warning);
        string preserved = Assert.Single(Directory.GetFiles(dir.Path, "audit-1.jsonl.torn-*"));
        Assert.Equal(torn, File.ReadAllBytes(preserved));
        JsonObject recovery = AuditTestDirectory.Parse(dir.EntryLines()[3]);
        Assert.Equal("audit.recovery", recovery["kind"]!.GetValue<string>());
        Assert.Equal(4, recovery["seq"]!.GetValue<long>());
        Assert.Equal(Path.GetFileName(preserved), recovery["details"]!["preserved_as"]!.GetValue<string>());
        Assert.Equal(23, recovery["details"]!["bytes"]!.GetValue<int>());
        Assert.Equal("5/5 entries valid, 2/2 checkpoints valid", dir.Verify().ToText());
    }

    [Fact]
    public async Task WritesCheckpointsWhenIdleWithAFreshTimestamp()
    {
        using AuditTestDirectory dir = new();
        await using (AuditChainWriter writer = dir.Open(checkpointEvery: TimeSpan.FromMilliseconds(150)))
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while ((!File.Exists(dir.CheckpointsPath) || AuditTestDirectory.ReadLines(dir.CheckpointsPath).Count < 3) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        List<JsonObject> checkpoints = AuditTestDirectory.ReadLines(dir.CheckpointsPath).Select(AuditTestDirectory.Parse).ToList();
        Assert.True(checkpoints.Count >= 4, $"{checkpoints.Count} checkpoints");
        Assert.All(checkpoints, c => Assert.Equal(0, c["seq"]!.GetValue<long>()));
        Assert.All(checkpoints, c => Assert.Equal(AuditChainFormat.GenesisMac, c["head_mac"]!.GetValue<string>()));
        Assert.Equal(checkpoints.Count, checkpoints.Select(c => c["ts"]!.GetValue<string>()).Distinct().Count());
        AuditVerifyReport report = dir.Verify();
        Assert.True(report.Valid, report.ToText());
        Assert.Equal(checkpoints.Count, report.CheckpointsValid);
    }

    [Fact]
    public async Task CheckpointAsyncNamesTheCurrentHead()
    {
        using AuditTestDirectory dir = new();
        await using AuditChainWriter writer = dir.Open();
        writer.Enqueue(AuditTestDirectory.Event(0));
        writer.Enqueue(AuditTestDirectory.Event(1));
        await writer.CheckpointAsync();
        JsonObject checkpoint = AuditTestDirectory.Parse(AuditTestDirectory.ReadLines(dir.CheckpointsPath).Single());
        Assert.Equal(2, checkpoint["seq"]!.GetValue<long>());
        Assert.Equal(AuditTestDirectory.Parse(dir.EntryLines()[^1])["mac"]!.GetValue<string>(), checkpoint["head_mac"]!.GetValue<string>());
    }

    [Fact]
    public async Task AfterCloseEnqueueIsDroppedAndDurableAppendFails()
    {
        using AuditTestDirectory dir = new();
        AuditChainWriter writer = dir.Open();
        writer.Enqueue(AuditTestDirectory.Event(0));
        await writer.CloseAsync();
        Assert.Equal(-1, writer.Enqueue(AuditTestDirectory.Event(1)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await writer.AppendDurableAsync(AuditTestDirectory.Event(2)));
        Assert.Single(dir.EntryLines());
    }

    [Fact]
    public async Task EntryWrittenCallbackSeesEverySeqInOrder()
    {
        using AuditTestDirectory dir = new();
        List<long> seen = [];
        await using (AuditChainWriter writer = dir.Open(segmentMaxBytes: 1024, onEntryWritten: seen.Add))
        {
            for (int i = 0; i < 20; i++)
            {
                writer.Enqueue(AuditTestDirectory.Event(i));
            }
        }
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task DetailsWithLoneSurrogatesAreSanitizedNotLost()
    {
        using AuditTestDirectory dir = new();
        await using (AuditChainWriter writer = dir.Open())
        {
            writer.Enqueue(new AuditEvent("edge.deny", "deny", "bad_sni", "x\ud800y", null, new JsonObject { ["sni\udc00"] = "a\ud800" }));
        }
        JsonObject entry = AuditTestDirectory.Parse(dir.EntryLines().Single());
        Assert.Equal("x\ufffdy", entry["subject"]!.GetValue<string>());
        Assert.Equal("a\ufffd", entry["details"]!["sni\ufffd"]!.GetValue<string>());
        Assert.True(dir.Verify().Valid);
    }

    [Fact]
    public async Task EmptyOrTornOnlySegmentLeftAfterARotationIsReused()
    {
        using AuditTestDirectory dir = new();
        await dir.WriteChainAsync(4);
        // A crash right after rotating: the next segment exists and holds only a torn fragment.
        string next = Path.Combine(dir.Path, "audit-5.jsonl");
        File.WriteAllText(next, "{\"v\":1");
        await using (AuditChainWriter writer = dir.Open())
        {
            Assert.Equal(4, writer.LastWrittenSeq);
            Assert.Equal(6, writer.Enqueue(AuditTestDirectory.Event(6)));
        }
        Assert.Equal(2, dir.Segments().Count);
        Assert.Equal([5L, 6L], AuditTestDirectory.ReadLines(next).Select(l => AuditTestDirectory.Parse(l)["seq"]!.GetValue<long>()).ToArray());
        Assert.Equal("6/6 entries valid, 2/2 checkpoints valid", dir.Verify().ToText());
    }

    [Fact]
    public async Task WriteFailureStopsTheWriterAndFailsDurableAppends()
    {
        using AuditTestDirectory dir = new();
        AuditChainWriter writer = dir.Open(segmentMaxBytes: 100);
        Assert.Equal(1, await writer.AppendDurableAsync(AuditTestDirectory.Event(0)));
        // The next entry must rotate into audit-2.jsonl, which cannot be opened: it is a directory.
        Directory.CreateDirectory(Path.Combine(dir.Path, "audit-2.jsonl"));
        Exception failed = await Assert.ThrowsAnyAsync<Exception>(async () => await writer.AppendDurableAsync(AuditTestDirectory.Event(1)).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsType<UnauthorizedAccessException>(failed);
        Assert.NotNull(writer.Failure);
        Assert.Contains(dir.Warnings, w => w.StartsWith("audit: writer stopped: ", StringComparison.Ordinal));
        Assert.Equal(-1, writer.Enqueue(AuditTestDirectory.Event(2)));
        await Assert.ThrowsAsync<IOException>(async () => await writer.AppendDurableAsync(AuditTestDirectory.Event(3)));
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task NullFieldsFromCallersAreWrittenAsEmptyStringsNotFatal()
    {
        using AuditTestDirectory dir = new();
        await using (AuditChainWriter writer = dir.Open())
        {
            writer.Enqueue(new AuditEvent(null!, null!, null!, null!));
            writer.Enqueue(AuditTestDirectory.Event(1));
        }
        Assert.Equal("", AuditTestDirectory.Parse(dir.EntryLines()[0])["kind"]!.GetValue<string>());
        Assert.Equal("2/2 entries valid, 1/1 checkpoints valid", dir.Verify().ToText());
    }

    [Fact]
    public async Task ResumeFindsTheLastEntryEvenWhenLinesAreLongerThanTheTailRead()
    {
        using AuditTestDirectory dir = new();
        await using (AuditChainWriter writer = dir.Open())
        {
            for (int i = 0; i < 2; i++)
            {
                writer.Enqueue(new AuditEvent("inspection.block", "block", "pii", "big-" + i, null, new JsonObject { ["body"] = new string('x', 300_000) }));
            }
        }
        await using (AuditChainWriter writer = dir.Open())
        {
            Assert.Equal(2, writer.LastWrittenSeq);
            Assert.Equal(3, writer.Enqueue(AuditTestDirectory.Event(3)));
        }
        Assert.Equal("3/3 entries valid, 2/2 checkpoints valid", dir.Verify().ToText());
    }

    [Fact]
    public async Task LargeBurstsAreWrittenInBoundedBatchesInOrder()
    {
        using AuditTestDirectory dir = new();
        List<long> seen = [];
        await using (AuditChainWriter writer = dir.Open(onEntryWritten: seen.Add))
        {
            for (int i = 0; i < 40; i++)
            {
                writer.Enqueue(new AuditEvent("inspection.block", "block", "pii", "burst-" + i, null, new JsonObject { ["body"] = new string('y', 100_000) }));
            }
        }
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), seen);
        Assert.Equal("40/40 entries valid, 1/1 checkpoints valid", dir.Verify().ToText());
    }
}
