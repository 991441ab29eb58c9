namespace PolicyGate.Core.Audit;

/// <summary>Finds the head of an existing chain so a restarted writer continues seq and prev; moves torn last lines aside.</summary>
public static class AuditChainRecovery
{
    /// <summary>Reads the chain in <paramref name="directory"/>; throws <see cref="InvalidDataException"/> when its last complete line is not an entry.</summary>
    public static AuditChainHead Recover(string directory, TimeProvider timeProvider)
    {
        List<AuditTornTail> torn = [];
        string checkpoints = Path.Combine(directory, AuditChainFormat.CheckpointsFile);
        if (File.Exists(checkpoints))
        {
            MoveTornTail(checkpoints, timeProvider, torn);
        }

        List<(long FirstSeq, string Path)> segments = AuditChainFormat.ListSegments(directory);
        for (int i = segments.Count - 1; i >= 0; i--)
        {
            (long firstSeq, string path) = segments[i];
            long length = MoveTornTail(path, timeProvider, torn);
            if (length == 0)
            {
                continue;
            }
            (long lastSeq, string lastMac) = ReadLastEntry(path);
            bool isLast = i == segments.Count - 1;
            return new AuditChainHead(lastSeq, lastMac, isLast ? path : null, isLast ? firstSeq : lastSeq + 1, torn);
        }
        // No entries yet: reuse an empty last segment named for seq 1, else start one.
        string? empty = segments.Count > 0 && segments[^1].FirstSeq == 1 ? segments[^1].Path : null;
        return new AuditChainHead(0, AuditChainFormat.GenesisMac, empty, 1, torn);
    }

    /// <summary>Moves bytes after the last '\n' into a .torn-* file and truncates; returns the file's new length.</summary>
    private static long MoveTornTail(string path, TimeProvider timeProvider, List<AuditTornTail> torn)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long length = stream.Length;
        if (length == 0)
        {
            return 0;
        }
        long cut = length;
        byte[] block = new byte[64 * 1024];
        while (cut > 0)
        {
            int size = (int)Math.Min(block.Length, cut);
            stream.Position = cut - size;
            stream.ReadExactly(block, 0, size);
            int newline = block.AsSpan(0, size).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                cut = cut - size + newline + 1;
                break;
            }
            cut -= size;
        }
        if (cut == length)
        {
            return length;
        }

        byte[] fragment = new byte[length - cut];
        stream.Position = cut;
        stream.ReadExactly(fragment);
        string stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string preserved = path + ".torn-" + stamp;
        using (FileStream copy = new(preserved, FileMode.CreateNew, FileAccess.Write))
        {
            copy.Write(fragment);
            copy.Flush(flushToDisk: true);
        }
        stream.SetLength(cut);
        stream.Flush(flushToDisk: true);
        torn.Add(new AuditTornTail(Path.GetFileName(path), cut, fragment.Length, HexKey.Sha256Hex(fragment), Path.GetFileName(preserved)));
        return cut;
    }

    /// <summary>Parses the last line of a non-empty, '\n'-terminated segment, reading only as much of its end as that line needs.</summary>
    private static (long Seq, string Mac) ReadLastEntry(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int size = 64 * 1024;
        byte[] tail;
        int start;
        while (true)
        {
            int take = (int)Math.Min(size, stream.Length);
            tail = new byte[take];
            stream.Position = stream.Length - take;
            stream.ReadExactly(tail);
            start = tail.AsSpan(0, take - 1).LastIndexOf((byte)'\n') + 1;
            if (start > 0 || take == stream.Length)
            {
                break;
            }
            size *= 4;
        }
        ReadOnlySpan<byte> last = tail.AsSpan(start, tail.Length - start - 1);
        System.Text.Json.Nodes.JsonObject? entry = AuditChainFormat.TryParseObject(last);
        long? seq = entry is null ? null : AuditChainFormat.GetInt64(entry, "seq");
        string? mac = entry is null ? null : AuditChainFormat.GetString(entry, "mac");
        if (seq is null || mac is null)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            throw new InvalidDataException($"audit: {path}: the last line is not an audit entry; keep the damaged chain as evidence by moving the whole directory aside (mv {directory} {directory}.damaged), check it with `policygate audit verify {directory}.damaged`, then start again: a new chain begins (docs/audit.md#recovering-a-damaged-chain)");
        }
        return (seq.Value, mac);
    }
}
