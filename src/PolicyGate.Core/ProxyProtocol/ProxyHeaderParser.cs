using System.Buffers;

namespace PolicyGate.Core.ProxyProtocol;

/// <summary>Parses a PROXY v1 or v2 header at the start of a buffer; never throws for bad input.</summary>
public static class ProxyHeaderParser
{
    public const int MaxV1Length = 107;
    public const int MaxV2Length = 2048;

    /// <summary>
    /// Parses v1 or v2 at the start of <paramref name="buffer"/>. Incomplete = need more bytes and nothing is wrong yet;
    /// Invalid = precise error; Complete = header, whose Length is the number of bytes to consume.
    /// </summary>
    public static ProxyParseResult Parse(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return ProxyParseResult.NeedMore;
        }
        return PrefixMatch(buffer, ProxyProtocolConstants.V1Prefix) switch
        {
            true => ProxyV1Parser.Parse(buffer),
            null => ProxyParseResult.NeedMore,
            false => PrefixMatch(buffer, ProxyProtocolConstants.V2Signature) switch
            {
                true => ProxyV2Parser.Parse(buffer),
                null => ProxyParseResult.NeedMore,
                false => ProxyParseResult.Fail("not a PROXY header"),
            },
        };
    }

    /// <summary>
    /// True when the buffer begins with a PROXY v1/v2 signature or is a prefix of one (so it could still become one);
    /// an empty buffer counts as "could still be". Used to refuse PROXY headers from untrusted peers.
    /// </summary>
    public static bool LooksLikeProxyHeader(in ReadOnlySequence<byte> buffer) =>
        PrefixMatch(buffer, ProxyProtocolConstants.V1Prefix) != false
        || PrefixMatch(buffer, ProxyProtocolConstants.V2Signature) != false;

    /// <summary>True: buffer starts with signature; null: buffer is a strict prefix of it; false: mismatch.</summary>
    private static bool? PrefixMatch(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> signature)
    {
        int count = (int)Math.Min(buffer.Length, signature.Length);
        Span<byte> head = stackalloc byte[signature.Length];
        buffer.Slice(0, count).CopyTo(head);
        if (!head[..count].SequenceEqual(signature[..count]))
        {
            return false;
        }
        return count == signature.Length ? true : null;
    }
}
