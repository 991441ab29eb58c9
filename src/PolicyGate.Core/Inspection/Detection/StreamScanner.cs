using System.Buffers;
using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Incremental scanner over a body arriving in chunks. Each feed rescans a context window (at least
/// <see cref="ScanProfile.Overlap"/> bytes, starting at a delimiter) before the new bytes, so a token split across
/// chunks is seen whole; hits touching the end of the data so far are deferred until more data (or the end) shows
/// whether the token continues. Offsets are absolute positions in the body. One instance per response; not thread-safe.
/// </summary>
public sealed class StreamScanner
{
    private static readonly SearchValues<byte> s_strongDelimiters = SearchValues.Create("\n\"'<>{}[],;"u8);
    private static readonly SearchValues<byte> s_weakDelimiters = SearchValues.Create(" \t\r"u8);

    private readonly ScanProfile _profile;
    private readonly ProtectedStringMatcher? _leakage;
    private readonly List<DetectionHit> _scratch = [];
    private byte[] _buffer = new byte[16384];
    private char[] _chars = new char[16384];
    private int _length;
    private long _bufferStart;
    private long _contextStart;

    public StreamScanner(ScanProfile profile)
    {
        _profile = profile;
        _leakage = profile.Leakage is null ? null : new ProtectedStringMatcher(profile.Leakage);
    }

    /// <summary>Bytes fed so far.</summary>
    public long Total { get; private set; }

    /// <summary>Bytes before this offset can no longer become part of a later hit (except leakage, which is reported at once).</summary>
    public long StableEnd => _contextStart;

    /// <summary>Scans <paramref name="data"/> (the next bytes of the body); new hits are appended to <paramref name="hits"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, bool final, List<DetectionHit> hits)
    {
        long previousEnd = Total;
        Append(data);
        _leakage?.Feed(data, previousEnd, hits);
        Total += data.Length;

        int from = (int)(_contextStart - _bufferStart);
        ReadOnlySpan<byte> window = _buffer.AsSpan(from, _length - from);
        if (_chars.Length < window.Length)
        {
            _chars = new char[Math.Max(window.Length, _chars.Length * 2)];
        }

        int count = Encoding.Latin1.GetChars(window, _chars);
        _scratch.Clear();
        ContentScanner.Scan(_chars.AsSpan(0, count), _contextStart, _profile, _scratch);
        long deferredStart = long.MaxValue;
        foreach (DetectionHit hit in _scratch)
        {
            if (!final && hit.End >= Total)
            {
                deferredStart = Math.Min(deferredStart, hit.Offset);
            }
            else if (hit.End >= previousEnd)
            {
                hits.Add(hit);
            }
        }

        _contextStart = final ? Total : Math.Max(_contextStart, Math.Min(NextContextStart(), deferredStart));
    }

    /// <summary>The buffered body bytes in [<paramref name="from"/>, <paramref name="to"/>) (still held, not yet released).</summary>
    public ReadOnlySpan<byte> Slice(long from, long to) => _buffer.AsSpan((int)(from - _bufferStart), (int)(to - from));

    /// <summary>The caller has sent everything before <paramref name="offset"/>; buffered bytes no longer needed are dropped.</summary>
    public void Release(long offset)
    {
        long keepFrom = Math.Min(offset, _contextStart);
        int drop = (int)(keepFrom - _bufferStart);
        if (drop <= 0)
        {
            return;
        }

        _buffer.AsSpan(drop, _length - drop).CopyTo(_buffer);
        _length -= drop;
        _bufferStart = keepFrom;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + data.Length, _buffer.Length * 2));
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>At least Overlap bytes back from the end, right after a delimiter (strong ones preferred).</summary>
    private long NextContextStart()
    {
        long target = Total - _profile.Overlap;
        if (target <= _contextStart)
        {
            return _contextStart;
        }

        long lowest = Math.Max(_contextStart, target - _profile.Overlap);
        ReadOnlySpan<byte> region = _buffer.AsSpan((int)(lowest - _bufferStart), (int)(target - lowest));
        int at = region.LastIndexOfAny(s_strongDelimiters);
        if (at < 0)
        {
            at = region.LastIndexOfAny(s_weakDelimiters);
        }

        return at < 0 ? target : lowest + at + 1;
    }
}
