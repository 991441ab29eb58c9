using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;

namespace PolicyGate.Audit;

/// <summary>
/// Reads the newest lines of the audit chain from disk, backwards and within a byte budget, so a large chain costs
/// no more than the tail an operator looks at. Lines that are not JSON objects (a torn or edited tail) are skipped.
/// </summary>
public static class AuditTailReader
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Reading stops after this many bytes (newest segments first); the answer then says scan_limited.</summary>
    public const long ScanBudgetBytes = 16L * 1024 * 1024;

    /// <summary>Up to <paramref name="limit"/> entries, newest first, whose kind passes <paramref name="kindFilter"/>.</summary>
    public static (List<JsonObject> Entries, bool ScanLimited) ReadLatest(string directory, Func<string, bool> kindFilter, int limit)
    {
        List<JsonObject> entries = [];
        long budget = ScanBudgetBytes;
        List<(long FirstSeq, string Path)> segments = AuditChainFormat.ListSegments(directory);
        for (int i = segments.Count - 1; i >= 0 && entries.Count < limit; i--)
        {
            ReadBackward(segments[i].Path, ref budget, line =>
            {
                if (Parse(line) is { } entry && entry["kind"] is JsonValue kind && kind.TryGetValue(out string? k) && kindFilter(k))
                {
                    entries.Add(entry);
                }

                return entries.Count < limit;
            });

            if (budget <= 0)
            {
                return (entries, entries.Count < limit);
            }
        }

        return (entries, false);
    }

    /// <summary>The newest checkpoint in checkpoints.jsonl, or null when none was written yet.</summary>
    public static JsonObject? ReadLastCheckpoint(string directory)
    {
        string path = Path.Combine(directory, AuditChainFormat.CheckpointsFile);
        if (!File.Exists(path))
        {
            return null;
        }

        long budget = ChunkBytes * 4;
        JsonObject? last = null;
        ReadBackward(path, ref budget, line =>
        {
            last = Parse(line);
            return last is null;
        });
        return last;
    }

    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Hands the file's lines to <paramref name="onLine"/> from last to first until it answers false; a line cut by the budget is not handed over.</summary>
    private static void ReadBackward(string path, ref long budget, Func<string, bool> onLine)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return; // rotated or removed since it was listed
        }

        using (stream)
        {
            long position = stream.Length;
            byte[] carry = [];
            while (position > 0 && budget > 0)
            {
                int read = (int)Math.Min(ChunkBytes, position);
                position -= read;
                budget -= read;
                byte[] buffer = new byte[read + carry.Length];
                stream.Position = position;
                stream.ReadExactly(buffer, 0, read);
                carry.CopyTo(buffer, read);
                int end = buffer.Length;
                for (int i = buffer.Length - 1; i >= 0; i--)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        if (!Hand(onLine, buffer.AsSpan(i + 1, end - i - 1)))
                        {
                            return;
                        }

                        end = i;
                    }
                }

                carry = buffer[..end];
            }

            if (position == 0)
            {
                Hand(onLine, carry);
            }
        }
    }

    private static bool Hand(Func<string, bool> onLine, ReadOnlySpan<byte> line) => line.IsEmpty || onLine(Encoding.UTF8.GetString(line));
}
