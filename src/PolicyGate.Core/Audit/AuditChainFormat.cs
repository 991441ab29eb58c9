using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>Field names, file names and line encoding shared by the chain writer and the verifier (DESIGN §11).</summary>
public static class AuditChainFormat
{
    public const int Version = 1;
    public const string GenesisMac = "0000000000000000000000000000000000000000000000000000000000000000";
    public const string CheckpointsFile = "checkpoints.jsonl";
    public const string SegmentPrefix = "audit-";
    public const string SegmentSuffix = ".jsonl";

    /// <summary>RFC 3339 UTC with milliseconds, e.g. 2026-11-22T19:27:17.123Z.</summary>
    public static string FormatTimestamp(DateTimeOffset ts) =>
        ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The segment file name for a segment whose first entry is <paramref name="firstSeq"/>.</summary>
    public static string SegmentName(long firstSeq) => SegmentPrefix + firstSeq.ToString(CultureInfo.InvariantCulture) + SegmentSuffix;

    /// <summary>The segments in <paramref name="directory"/> ordered by first seq (other files are ignored).</summary>
    public static List<(long FirstSeq, string Path)> ListSegments(string directory)
    {
        List<(long, string)> segments = [];
        if (!Directory.Exists(directory))
        {
            return segments;
        }
        foreach (string path in Directory.EnumerateFiles(directory, SegmentPrefix + "*" + SegmentSuffix))
        {
            string name = Path.GetFileName(path);
            ReadOnlySpan<char> number = name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SegmentSuffix.Length);
            if (number.Length > 0 && number.IndexOfAnyExceptInRange('0', '9') < 0
                && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long first))
            {
                segments.Add((first, path));
            }
        }
        segments.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return segments;
    }

    /// <summary>Builds a signed checkpoint line (with '\n').</summary>
    public static byte[] BuildCheckpointLine(long seq, string headMac, DateTimeOffset ts, string node, AuditSigningKey signingKey)
    {
        JsonObject checkpoint = new()
        {
            ["seq"] = seq,
            ["head_mac"] = headMac,
            ["ts"] = FormatTimestamp(ts),
            ["node"] = node,
            ["key_id"] = signingKey.PublicKey.KeyId,
        };
        checkpoint["sig"] = signingKey.Sign(JsonCanonicalizer.Canonicalize(checkpoint));
        ArrayBufferWriter<byte> line = new(256);
        JsonCanonicalizer.TryCanonicalize(checkpoint, line, out _);
        line.GetSpan(1)[0] = (byte)'\n';
        line.Advance(1);
        return line.WrittenSpan.ToArray();
    }

    /// <summary>Parses one line as a JSON object; null when it is not one (never throws).</summary>
    public static JsonObject? TryParseObject(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonNode.Parse(line, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Reads an integer field; null when absent or not an integer.</summary>
    public static long? GetInt64(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long result) ? result : null;

    /// <summary>Reads a string field; null when absent or not a string.</summary>
    public static string? GetString(JsonObject obj, string name)
    {
        try
        {
            return obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? result) ? result : null;
        }
        catch (InvalidOperationException)
        {
            return null; // an escaped lone surrogate
        }
    }
}
