using System.Buffers;
using System.IO.Pipelines;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Egress;

/// <summary>Reads one request head (through CRLF CRLF) from the client pipe, enforcing the line and size limits.</summary>
public static class EgressHeadReader
{
    private static ReadOnlySpan<byte> Terminator => "\r\n\r\n"u8;

    /// <summary>The head bytes (bytes after it stay in the pipe), or an error; null head and null error when the client left early.</summary>
    public static async Task<(byte[]? Head, ProxyRequestError? Error)> ReadAsync(PipeReader input, CancellationToken ct)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(ct);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequenceReader<byte> reader = new(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> _, Terminator, advancePastDelimiter: true))
            {
                if (reader.Consumed > ProxyRequestParser.MaxHeadBytes)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    return (null, TooLarge(buffer));
                }

                byte[] head = buffer.Slice(0, reader.Position).ToArray();
                input.AdvanceTo(reader.Position);
                return (head, null);
            }

            if (buffer.Length > ProxyRequestParser.MaxHeadBytes)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                return (null, TooLarge(buffer));
            }

            if (buffer.Length > ProxyRequestParser.MaxRequestLine + 2 && !HasLineEnd(buffer.Slice(0, ProxyRequestParser.MaxRequestLine + 2)))
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                return (null, new ProxyRequestError(414, "request line too long"));
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.End);
                return (null, buffer.IsEmpty ? null : new ProxyRequestError(400, "incomplete request head"));
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ProxyRequestError TooLarge(ReadOnlySequence<byte> buffer)
    {
        ReadOnlySequence<byte> start = buffer.Slice(0, Math.Min(buffer.Length, ProxyRequestParser.MaxRequestLine + 2));
        return HasLineEnd(start)
            ? new ProxyRequestError(431, "request header too large")
            : new ProxyRequestError(414, "request line too long");
    }

    private static bool HasLineEnd(ReadOnlySequence<byte> sequence)
    {
        SequenceReader<byte> reader = new(sequence);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n"u8, advancePastDelimiter: false);
    }
}
