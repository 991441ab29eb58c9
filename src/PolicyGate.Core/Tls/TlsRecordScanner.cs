using System.Buffers;
using System.Buffers.Binary;
using static PolicyGate.Core.Tls.TlsConstants;

namespace PolicyGate.Core.Tls;

/// <summary>
/// Walks the TLS records at the start of a buffer until they hold one whole handshake message (a ClientHello),
/// validating each record header as soon as its bytes arrive; then copies the message out of the records.
/// </summary>
internal static class TlsRecordScanner
{
    private const int Max = ClientHelloParser.MaxClientHelloBytes;

    /// <summary>
    /// Null when the records hold the whole ClientHello (<paramref name="messageLength"/> includes the 4-byte
    /// handshake header); else the Incomplete or Invalid result.
    /// </summary>
    public static ClientHelloResult? Scan(in ReadOnlySequence<byte> buffer, out int messageLength, out int recordVersion, out bool singleRecord)
    {
        messageLength = -1;
        recordVersion = 0;
        singleRecord = true;
        long available = buffer.Length;
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        Span<byte> handshakeHeader = stackalloc byte[HandshakeHeaderLength];
        int collected = 0;
        long offset = 0;
        for (int record = 0; ; record++)
        {
            if (offset >= Max)
            {
                return TooLarge();
            }
            int headerBytes = (int)Math.Min(RecordHeaderLength, available - offset);
            buffer.Slice(offset, headerBytes).CopyTo(header);
            if (CheckRecordHeader(header[..headerBytes], record) is { } headerError)
            {
                return ClientHelloResult.Fail(headerError);
            }
            if (headerBytes < RecordHeaderLength)
            {
                return NeedMore(available);
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            if (record == 0)
            {
                recordVersion = BinaryPrimitives.ReadUInt16BigEndian(header[1..]);
            }
            else
            {
                singleRecord = false;
            }

            long payloadStart = offset + RecordHeaderLength;
            int inBuffer = (int)Math.Min(length, available - payloadStart);
            int used = 0;
            if (collected < HandshakeHeaderLength)
            {
                // The 4-byte handshake header itself may be split across records.
                used = Math.Min(HandshakeHeaderLength - collected, inBuffer);
                buffer.Slice(payloadStart, used).CopyTo(handshakeHeader[collected..]);
                collected += used;
                if (collected > 0 && handshakeHeader[0] != ClientHelloType)
                {
                    return ClientHelloResult.Fail($"not a ClientHello: handshake message type {handshakeHeader[0]}");
                }
                if (collected == HandshakeHeaderLength)
                {
                    messageLength = HandshakeHeaderLength + (handshakeHeader[1] << 16 | handshakeHeader[2] << 8 | handshakeHeader[3]);
                    if (RecordHeaderLength + messageLength > Max)
                    {
                        return TooLarge();
                    }
                }
            }
            if (messageLength >= 0)
            {
                int take = Math.Min(messageLength - collected, inBuffer - used);
                collected += take;
                used += take;
                if (collected == messageLength)
                {
                    return payloadStart + used > Max ? TooLarge() : null;
                }
            }
            if (inBuffer < length)
            {
                return NeedMore(available);
            }
            offset = payloadStart + length;
        }
    }

    /// <summary>Copies the first <paramref name="destination"/>.Length handshake bytes out of the (scanned) records.</summary>
    public static void CopyMessage(in ReadOnlySequence<byte> buffer, Span<byte> destination)
    {
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        long offset = 0;
        int written = 0;
        while (written < destination.Length)
        {
            buffer.Slice(offset, RecordHeaderLength).CopyTo(header);
            int length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            int take = Math.Min(length, destination.Length - written);
            buffer.Slice(offset + RecordHeaderLength, take).CopyTo(destination[written..]);
            written += take;
            offset += RecordHeaderLength + length;
        }
    }

    private static string? CheckRecordHeader(ReadOnlySpan<byte> header, int record)
    {
        if (header.Length > 0 && header[0] != HandshakeContentType)
        {
            return record == 0
                ? $"not TLS: first byte 0x{header[0]:X2} is not a handshake record (0x16)"
                : $"TLS record {record} has content type 0x{header[0]:X2} inside the ClientHello";
        }
        if (header.Length > 2 && (header[1] != 3 || header[2] > 4))
        {
            return $"not TLS: record {record} has version 0x{header[1]:X2}{header[2]:X2}";
        }
        if (header.Length > 1 && header[1] != 3)
        {
            return $"not TLS: record {record} has major version {header[1]}";
        }
        if (header.Length == RecordHeaderLength)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            if (length == 0)
            {
                return $"TLS record {record} is empty";
            }
            if (length > MaxRecordPayload)
            {
                return $"TLS record {record} length {length} exceeds {MaxRecordPayload}";
            }
        }
        return null;
    }

    private static ClientHelloResult NeedMore(long available) =>
        available >= Max ? TooLarge() : ClientHelloResult.NeedMore;

    private static ClientHelloResult TooLarge() =>
        ClientHelloResult.Fail($"ClientHello larger than {Max} bytes");
}
