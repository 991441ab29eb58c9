using System.Buffers;
using static PolicyGate.Core.Tls.TlsConstants;

namespace PolicyGate.Core.Tls;

/// <summary>Parses the ClientHello at the start of a TLS stream (peeked, not consumed) for SNI and ALPN; never throws.</summary>
public static class ClientHelloParser
{
    public const int MaxClientHelloBytes = 16 * 1024;

    /// <summary>
    /// Parses the TLS record(s) at the start of <paramref name="buffer"/>; the handshake may span several records.
    /// Incomplete = need more bytes (never beyond <see cref="MaxClientHelloBytes"/>); Invalid = precise error;
    /// Complete with a null ServerName when the hello carries no SNI.
    /// </summary>
    public static ClientHelloResult Parse(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return ClientHelloResult.NeedMore;
        }
        if (TlsRecordScanner.Scan(buffer, out int messageLength, out int recordVersion, out bool singleRecord) is { } framing)
        {
            return framing;
        }
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (singleRecord && first.Length >= RecordHeaderLength + messageLength)
        {
            return ClientHelloReader.Read(first.Slice(RecordHeaderLength + HandshakeHeaderLength, messageLength - HandshakeHeaderLength), recordVersion);
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(messageLength);
        try
        {
            Span<byte> message = rented.AsSpan(0, messageLength);
            TlsRecordScanner.CopyMessage(buffer, message);
            return ClientHelloReader.Read(message[HandshakeHeaderLength..], recordVersion);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
