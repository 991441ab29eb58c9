using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// For text/event-stream: joins the `data:` field values of consecutive events into one logical text and scans it,
/// so a secret streamed token by token across several events is still seen whole. Offsets of its hits are positions
/// in the joined text (no mapping back to the wire): a hit here ends the stream rather than being redacted.
/// </summary>
public sealed class EventStreamDataJoiner
{
    private static readonly byte[] s_data = "data:"u8.ToArray();
    private readonly StreamScanner _scanner;
    private long _parsed;

    public EventStreamDataJoiner(ScanProfile profile)
    {
        _scanner = new StreamScanner(profile);
    }

    /// <summary>Parses complete lines of the raw stream from where the last call stopped up to <paramref name="rawEnd"/>.</summary>
    /// <param name="raw">Raw bytes starting at absolute offset <paramref name="rawStart"/>.</param>
    public void Feed(ReadOnlySpan<byte> raw, long rawStart, bool final, List<DetectionHit> hits)
    {
        ReadOnlySpan<byte> unparsed = raw[(int)(_parsed - rawStart)..];
        int lastNewline = final ? unparsed.Length - 1 : unparsed.LastIndexOf((byte)'\n');
        if (lastNewline < 0)
        {
            return;
        }

        ReadOnlySpan<byte> lines = unparsed[..(lastNewline + 1)];
        _parsed += lastNewline + 1;
        ArrayBufferWriter<byte> joined = new(lines.Length);
        foreach (Range range in lines.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = lines[range].TrimEnd((byte)'\r');
            if (line.StartsWith(s_data))
            {
                ReadOnlySpan<byte> value = line[s_data.Length..];
                joined.Write(value.Length > 0 && value[0] == ' ' ? value[1..] : value);
            }
        }

        _scanner.Feed(joined.WrittenSpan, final, hits);
        _scanner.Release(_scanner.StableEnd);
    }

    /// <summary>Raw offset up to which lines have been parsed (bytes before it are no longer needed).</summary>
    public long Parsed => _parsed;
}
