using System.Buffers;
using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Produces the outgoing bytes of a scanned body: copies bytes through and, when redacting, replaces each hit's range
/// with `[REDACTED:&lt;detector&gt;]` (overlapping hits merge). Tracks how far the body has been written.
/// </summary>
public sealed class RedactionWriter
{
    private readonly bool _redact;
    private readonly List<DetectionHit> _pending = [];
    private long _lastRedactionEnd = -1;

    public RedactionWriter(bool redact)
    {
        _redact = redact;
    }

    /// <summary>Body offset up to which output has been produced.</summary>
    public long Written { get; private set; }

    /// <summary>Whether hits are waiting to be redacted (never when not redacting).</summary>
    public bool HasPending => _pending.Count > 0;

    public void AddHits(IEnumerable<DetectionHit> hits)
    {
        if (_redact)
        {
            _pending.AddRange(hits);
            _pending.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        }
    }

    /// <summary>Writes body bytes [Written, <paramref name="upTo"/>) (extended through any hit straddling it) from <paramref name="scanner"/>.</summary>
    public void WriteTo(IBufferWriter<byte> output, StreamScanner scanner, long upTo)
    {
        long cursor = Written;
        while (_pending.Count > 0 && _pending[0].Offset < upTo)
        {
            DetectionHit hit = _pending[0];
            _pending.RemoveAt(0);
            if (hit.End <= cursor)
            {
                continue;
            }

            if (hit.Offset > cursor)
            {
                output.Write(scanner.Slice(cursor, hit.Offset));
            }

            // A hit overlapping the one just redacted extends it; one whose start was already sent still hides its rest.
            if (hit.Offset >= _lastRedactionEnd)
            {
                output.Write(Encoding.ASCII.GetBytes($"[REDACTED:{hit.Detector}]"));
            }

            cursor = hit.End;
            _lastRedactionEnd = cursor;
            upTo = Math.Max(upTo, cursor);
        }

        if (cursor < upTo)
        {
            output.Write(scanner.Slice(cursor, upTo));
            cursor = upTo;
        }

        Written = cursor;
    }
}
