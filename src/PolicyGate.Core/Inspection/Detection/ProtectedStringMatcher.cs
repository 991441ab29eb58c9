using System.Runtime.CompilerServices;
using System.Text;

namespace PolicyGate.Core.Inspection.Detection;

/// <summary>
/// Channel E leakage: any <see cref="WindowLength"/>-character window of a normalised protected string appearing in the
/// normalised body. Streaming and stateful (UTF-8 decoding, whitespace state and the rolling window survive chunk
/// boundaries), so each body byte is processed exactly once. One instance per response.
/// </summary>
public sealed class ProtectedStringMatcher
{
    public const int WindowLength = 20;
    private const ulong HashBase = 1_000_003UL;

    /// <summary>Lower-cased form of each printable ASCII byte that needs no decoding (0 for whitespace, `\\`, `&amp;`, `&lt;` and controls).</summary>
    private static readonly char[] s_plain = Enumerable.Range(0, 128)
        .Select(b => b is > ' ' and < 0x7F and not '\\' and not '&' and not '<' ? char.ToLowerInvariant((char)b) : '\0').ToArray();

    private readonly ProtectedStringSet _set;
    private const int RingMask = 31;
    private readonly char[] _ring = new char[RingMask + 1];
    private readonly long[] _ringOffsets = new long[RingMask + 1];
    private readonly ulong _topPower;
    private int _count;
    private int _head;
    private ulong _hash;
    private bool _pendingSpace;
    private long _spaceOffset;
    private bool _pendingBackslash;
    private readonly char[] _pending = new char[10];
    private int _pendingLength;
    private long _pendingStart;
    private int _utf8Need;
    private int _utf8Value;
    private long _utf8Start;

    public ProtectedStringMatcher(ProtectedStringSet set)
    {
        _set = set;
        _topPower = set.TopPower;
    }

    /// <summary>Feeds the next body bytes, starting at absolute offset <paramref name="offset"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, long offset, List<DetectionHit> hits)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            long at = offset + i;
            if (b < 0x80 && s_plain[b] != 0 && _utf8Need == 0 && _pendingLength == 0 && !_pendingBackslash)
            {
                // Fast path: a printable ASCII char that starts no escape, reference or tag.
                Emit(s_plain[b], at, at + 1, hits);
                continue;
            }

            if (_utf8Need > 0)
            {
                if ((b & 0xC0) == 0x80)
                {
                    _utf8Value = (_utf8Value << 6) | (b & 0x3F);
                    if (--_utf8Need == 0)
                    {
                        CodePoint(_utf8Value, _utf8Start, at + 1, hits);
                    }

                    continue;
                }

                _utf8Need = 0;
            }

            if (b >= 0x80 && _pendingLength > 0)
            {
                Pending(b, at, hits);
            }

            if (b < 0x80)
            {
                Ascii(b, at, hits);
            }
            else if ((b & 0xE0) == 0xC0)
            {
                (_utf8Need, _utf8Value, _utf8Start) = (1, b & 0x1F, at);
            }
            else if ((b & 0xF0) == 0xE0)
            {
                (_utf8Need, _utf8Value, _utf8Start) = (2, b & 0x0F, at);
            }
            else if ((b & 0xF8) == 0xF0)
            {
                (_utf8Need, _utf8Value, _utf8Start) = (3, b & 0x07, at);
            }
        }
    }

    private void Ascii(byte b, long at, List<DetectionHit> hits)
    {
        if (_pendingLength > 0 && Pending(b, at, hits))
        {
            return;
        }

        if (_pendingBackslash)
        {
            _pendingBackslash = false;
            switch (b)
            {
                case (byte)'n' or (byte)'t' or (byte)'r':
                    Space(at - 1);
                    return;
                case (byte)'"' or (byte)'\\' or (byte)'/':
                    Emit((char)b, at - 1, at + 1, hits);
                    return;
                case (byte)'u':
                    StartPending('u', at - 1);
                    return;
            }

            Emit('\\', at - 1, at, hits);
        }

        if (b == '\\')
        {
            _pendingBackslash = true;
            return;
        }

        if (b is (byte)'&' or (byte)'<')
        {
            StartPending((char)b, at);
            return;
        }

        if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f' or (byte)'\v')
        {
            Space(at);
            return;
        }

        char c = (char)b;
        Emit(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c, at, at + 1, hits);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // cold: escapes, references and tags are rare
    private void StartPending(char kind, long at)
    {
        _pending[0] = kind;
        _pendingLength = 1;
        _pendingStart = at;
    }

    /// <summary>
    /// Continues a JSON `\uXXXX` escape or an HTML character reference (`&amp;#39;`, `&amp;#x27;`, `&amp;quot;`, `&amp;amp;`,
    /// `&amp;nbsp;` …), which stand for one character spanning the whole sequence. True when <paramref name="b"/> was consumed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // cold: escapes, references and tags are rare
    private bool Pending(byte b, long at, List<DetectionHit> hits)
    {
        char c = (char)b;
        bool unicode = _pending[0] == 'u';
        if (_pending[0] == '<')
        {
            return LineBreakTag(c, at, hits);
        }

        if (unicode ? char.IsAsciiHexDigit(c) : (char.IsAsciiLetterOrDigit(c) || (c == '#' && _pendingLength == 1)) && _pendingLength < _pending.Length)
        {
            _pending[_pendingLength++] = c;
            if (unicode && _pendingLength == 5)
            {
                _pendingLength = 0;
                int value = int.Parse(_pending.AsSpan(1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                Decoded(value, at + 1, hits);
            }

            return true;
        }

        int length = _pendingLength;
        _pendingLength = 0;
        if (!unicode && c == ';' && HtmlCharacter(_pending.AsSpan(1, length - 1)) is int reference and > 0)
        {
            Decoded(reference, at + 1, hits);
            return true;
        }

        // Not an escape after all: the sequence is ordinary text.
        long offset = _pendingStart;
        if (unicode)
        {
            Emit('\\', offset, offset + 1, hits);
            offset++;
        }

        for (int k = 0; k < length; k++, offset++)
        {
            char raw = _pending[k];
            Emit(raw is >= 'A' and <= 'Z' ? (char)(raw + 32) : raw, offset, offset + 1, hits);
        }

        return false;
    }

    /// <summary>An HTML line break (`&lt;br&gt;`, `&lt;br/&gt;`, `&lt;BR /&gt;`) is whitespace; any other `&lt;` is text.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // cold: escapes, references and tags are rare
    private bool LineBreakTag(char c, long at, List<DetectionHit> hits)
    {
        ReadOnlySpan<char> expected = "<br";
        if (_pendingLength < expected.Length ? char.ToLowerInvariant(c) == expected[_pendingLength] : c is ' ' or '/' && _pendingLength < _pending.Length)
        {
            _pending[_pendingLength++] = c;
            return true;
        }

        int length = _pendingLength;
        _pendingLength = 0;
        if (c == '>' && length >= expected.Length)
        {
            Space(_pendingStart);
            return true;
        }

        for (int k = 0; k < length; k++)
        {
            char raw = _pending[k];
            Emit(raw is >= 'A' and <= 'Z' ? (char)(raw + 32) : raw, _pendingStart + k, _pendingStart + k + 1, hits);
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // cold: escapes, references and tags are rare
    private void Decoded(int value, long end, List<DetectionHit> hits) => CodePoint(value, _pendingStart, end, hits);

    private static int HtmlCharacter(ReadOnlySpan<char> name)
    {
        if (name.Length > 1 && name[0] == '#')
        {
            bool hex = name[1] is 'x' or 'X';
            return int.TryParse(name[(hex ? 2 : 1)..], hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int code) && code is > 0 and < 0x110000 ? code : 0;
        }

        return name switch
        {
            "quot" => '"',
            "amp" => '&',
            "apos" => '\'',
            "lt" => '<',
            "gt" => '>',
            "nbsp" => 0xA0,
            _ => 0,
        };
    }

    private void CodePoint(int value, long start, long end, List<DetectionHit> hits)
    {
        if (ProtectedStringNormalizer.IsWhitespace(value))
        {
            Space(start);
            return;
        }

        foreach (char c in ProtectedStringNormalizer.Map(value))
        {
            Emit(c, start, end, hits);
        }
    }

    private void Space(long at)
    {
        if (!_pendingSpace)
        {
            _pendingSpace = true;
            _spaceOffset = at;
        }
    }

    private void Emit(char c, long start, long end, List<DetectionHit> hits)
    {
        if (_pendingSpace)
        {
            _pendingSpace = false;
            if (_count > 0)
            {
                Push(' ', _spaceOffset, _spaceOffset, hits); // a window ending in a collapsed space ends before it
            }
        }

        Push(c, start, end, hits);
    }

    private void Push(char c, long start, long end, List<DetectionHit> hits)
    {
        // _head counts pushed chars; the window is the last WindowLength of them in a power-of-two ring.
        if (_count == WindowLength)
        {
            _hash -= _ring[(_head - WindowLength) & RingMask] * _topPower;
        }
        else
        {
            _count++;
        }

        _ring[_head & RingMask] = c;
        _ringOffsets[_head & RingMask] = start;
        _head++;
        _hash = (_hash * HashBase) + c;
        if (_count == WindowLength && _set.MightContain(_hash) && _set.Contains(Window()))
        {
            // A window starting at a collapsed space reports from the next character, so redaction keeps the space.
            int first = _head - WindowLength;
            AddOrExtend(hits, _ringOffsets[(_ring[first & RingMask] == ' ' ? first + 1 : first) & RingMask], end);
        }
    }

    private string Window()
    {
        StringBuilder builder = new(WindowLength);
        for (int k = 0; k < WindowLength; k++)
        {
            builder.Append(_ring[(_head - WindowLength + k) & RingMask]);
        }

        return builder.ToString();
    }

    private static void AddOrExtend(List<DetectionHit> hits, long start, long end)
    {
        if (hits.Count > 0 && hits[^1] is { Detector: DetectorNames.Leakage } last && start <= last.End)
        {
            hits[^1] = last with { Length = (int)(end - last.Offset) };
            return;
        }

        hits.Add(new DetectionHit(DetectorNames.Leakage, DetectionChannel.Automaton, start, (int)(end - start)));
    }

    /// <summary>Rolling polynomial hash of a window, matching the streaming computation.</summary>
    internal static ulong HashOf(ReadOnlySpan<char> window)
    {
        ulong hash = 0;
        foreach (char c in window)
        {
            hash = (hash * HashBase) + c;
        }

        return hash;
    }

    internal static ulong TopPowerOf()
    {
        ulong power = 1;
        for (int k = 1; k < WindowLength; k++)
        {
            power *= HashBase;
        }

        return power;
    }
}
