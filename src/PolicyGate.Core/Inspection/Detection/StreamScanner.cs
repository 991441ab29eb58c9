using System.Buffers;
using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Incremental scanner over a body arriving in chunks. Each feed rescans a context window (at least
/// <see cref="ScanProfile.Overlap"/> bytes, starting at a delimiter) before the new bytes, so a token split across
/// chunks is seen whole; hits touching the end of the data so far are deferred until more data (or the end) shows
/// whether the token continues. Offsets are absolute positions in the body. One instance per response; not thread-safe.
/// Its byte and char buffers are rented from <see cref="ArrayPool{T}.Shared"/>; <see cref="Dispose"/> returns them.
/// </summary>
public sealed class StreamScanner : IDisposable
{
    private const int MinimumBuffer = 4096;

    private static readonly SearchValues<byte> s_strongDelimiters = SearchValues.Create("\n\"'<>{}[],;"u8);
    private static readonly SearchValues<byte> s_weakDelimiters = SearchValues.Create(" \t\r"u8);

    private readonly ScanProfile _profile;
    private readonly ProtectedStringMatcher? _leakage;
    private readonly List<DetectionHit> _scratch = [];
    private byte[] _buffer = [];
    private char[] _chars = [];
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
            ReturnChars();
            _chars = ArrayPool<char>.Shared.Rent(Math.Max(window.Length, MinimumBuffer));
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

    /// <summary>The buffered body bytes in [<paramref name="from"/>, <paramref name="to"/>) as memory, valid until the next feed, release or dispose.</summary>
    public ReadOnlyMemory<byte> SliceMemory(long from, long to) => _buffer.AsMemory((int)(from - _bufferStart), (int)(to - from));

    /// <summary>Makes room for <paramref name="bytes"/> buffered bytes up front (e.g. a known Content-Length), so the buffer does not grow chunk by chunk.</summary>
    public void Reserve(int bytes)
    {
        if (bytes > _buffer.Length)
        {
            Grow(bytes);
        }
    }

    /// <summary>Returns the rented buffers to the pool (once); the scanner holds no body bytes afterwards.</summary>
    public void Dispose()
    {
        ReturnChars();
        if (_buffer.Length > 0)
        {
            byte[] buffer = _buffer;
            _buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _length = 0;
    }

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
            Grow(Math.Max(_length + data.Length, _buffer.Length * 2));
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Swaps the byte buffer for a rented one of at least <paramref name="size"/> bytes, keeping the buffered bytes.</summary>
    private void Grow(int size)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(size, MinimumBuffer));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        byte[] old = _buffer;
        _buffer = larger;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    private void ReturnChars()
    {
        if (_chars.Length > 0)
        {
            char[] chars = _chars;
            _chars = [];
            ArrayPool<char>.Shared.Return(chars);
        }
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
