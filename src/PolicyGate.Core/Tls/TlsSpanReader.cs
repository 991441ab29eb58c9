using System.Buffers.Binary;

namespace PolicyGate.Core.Tls;

/// <summary>Forward-only reader of TLS presentation-language fields (big-endian integers, length-prefixed vectors).</summary>
internal ref struct TlsSpanReader
{
    private ReadOnlySpan<byte> _rest;

    public TlsSpanReader(ReadOnlySpan<byte> data) => _rest = data;

    public readonly bool IsEmpty => _rest.IsEmpty;

    /// <summary>True when <paramref name="data"/> is exactly one vector with a two-byte length prefix.</summary>
    public static bool TryReadWholeVector16(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value)
    {
        var reader = new TlsSpanReader(data);
        return reader.TryReadVector16(out value) && reader.IsEmpty;
    }

    public readonly int Remaining => _rest.Length;

    public bool TryReadUInt8(out int value)
    {
        value = _rest.IsEmpty ? 0 : _rest[0];
        return TrySkip(1);
    }

    public bool TryReadUInt16(out int value)
    {
        value = _rest.Length < 2 ? 0 : BinaryPrimitives.ReadUInt16BigEndian(_rest);
        return TrySkip(2);
    }

    public bool TrySkip(int count)
    {
        if (_rest.Length < count)
        {
            return false;
        }
        _rest = _rest[count..];
        return true;
    }

    /// <summary>Reads an opaque vector with a one-byte length prefix.</summary>
    public bool TryReadVector8(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadUInt8(out int length) && TryTake(length, out value);
    }

    /// <summary>Reads an opaque vector with a two-byte length prefix.</summary>
    public bool TryReadVector16(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadUInt16(out int length) && TryTake(length, out value);
    }

    private bool TryTake(int length, out ReadOnlySpan<byte> value)
    {
        value = _rest.Length < length ? default : _rest[..length];
        return TrySkip(length);
    }
}
