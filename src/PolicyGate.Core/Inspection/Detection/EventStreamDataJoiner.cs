using System.Buffers;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// For text/event-stream: joins the `data:` field values of consecutive events into one logical text and scans it,
/// so a secret streamed token by token across several events is still seen whole. Offsets of its hits are positions
/// in the joined text (no mapping back to the wire): a hit here ends the stream rather than being redacted.
/// <see cref="Dispose"/> returns the inner scanner's pooled buffers.
/// </summary>
public sealed class EventStreamDataJoiner : IDisposable
{
    private static readonly byte[] s_data = "data:"u8.ToArray();
    private readonly StreamScanner _scanner;
    private readonly List<long> _eventStarts = [];
    private readonly ArrayBufferWriter<byte> _joined = new();
    private long _parsed;
    private long _joinedTotal;
    private bool _eventEnded = true;

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
        ArrayBufferWriter<byte> joined = _joined;
        joined.ResetWrittenCount();
        ReadOnlySpan<byte> content = lines.Length > 0 && lines[^1] == '\n' ? lines[..^1] : lines;
        foreach (Range range in content.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = content[range].TrimEnd((byte)'\r');
            if (line.IsEmpty)
            {
                _eventEnded = true;
            }
            else if (line.StartsWith(s_data))
            {
                if (_eventEnded)
                {
                    _eventStarts.Add(_joinedTotal + joined.WrittenCount);
                    _eventEnded = false;
                }

                ReadOnlySpan<byte> value = line[s_data.Length..];
                joined.Write(value.Length > 0 && value[0] == ' ' ? value[1..] : value);
            }
        }

        _joinedTotal += joined.WrittenCount;
        if (_eventStarts.Count > 1024)
        {
            _eventStarts.RemoveRange(0, 512);
        }

        _scanner.Feed(joined.WrittenSpan, final, hits);
        _scanner.Release(_scanner.StableEnd);
    }

    /// <summary>True when the hit (joined offsets) spans the data of two or more events (a single-event hit is also seen raw).</summary>
    public bool CrossesEvents(DetectionHit hit)
    {
        foreach (long start in _eventStarts)
        {
            if (start > hit.Offset && start < hit.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the inner scanner's rented buffers (idempotent).</summary>
    public void Dispose() => _scanner.Dispose();

    /// <summary>Raw offset up to which lines have been parsed (bytes before it are no longer needed).</summary>
    public long Parsed => _parsed;
}
