using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;

namespace PolicyGate.Inspection;

/// <summary>
/// Decodes a gzip/deflate/br response body for inspection: the writer's thread only pushes encoded bytes into a pipe; one
/// decode loop owns everything downstream (it alone calls the <see cref="InspectedBodyWriter"/> until it ends), so no
/// state is shared between the two threads. <see cref="CompleteAsync"/> hands the body back to the caller.
/// </summary>
internal sealed class ResponseBodyDecoder : IAsyncDisposable
{
    private readonly Pipe _encoded = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly Task _loop;
    private bool _writerCompleted;

    private ResponseBodyDecoder(Func<Stream, Stream> decompress, Func<ReadOnlyMemory<byte>, ValueTask> decoded, Func<ValueTask> undecodable)
    {
        _loop = Task.Run(() => DecodeLoopAsync(decompress(_encoded.Reader.AsStream()), decoded, undecodable));
    }

    /// <summary>
    /// Starts a decoder for <paramref name="encoding"/> (gzip, x-gzip, deflate, br) feeding <paramref name="decoded"/>; null for
    /// any other encoding. <paramref name="undecodable"/> runs (on the loop) when the bytes are not valid for the encoding.
    /// </summary>
    public static ResponseBodyDecoder? TryStart(string encoding, Func<ReadOnlyMemory<byte>, ValueTask> decoded, Func<ValueTask> undecodable)
    {
        Func<Stream, Stream>? decompress = DecompressorFor(encoding);
        return decompress is null ? null : new ResponseBodyDecoder(decompress, decoded, undecodable);
    }

    /// <summary>True for the encodings this decoder reads: gzip, x-gzip, deflate, br.</summary>
    public static bool Supports(string encoding) => DecompressorFor(encoding) is not null;

    private static Func<Stream, Stream>? DecompressorFor(string encoding) => encoding switch
    {
        "gzip" or "x-gzip" => static s => new GZipStream(s, CompressionMode.Decompress),
        "deflate" => static s => new ZLibStream(s, CompressionMode.Decompress),
        "br" => static s => new BrotliStream(s, CompressionMode.Decompress),
        _ => null,
    };

    /// <summary>Queues encoded bytes (a no-op once the loop stopped reading, e.g. after a block).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken) =>
        await _encoded.Writer.WriteAsync(encoded, cancellationToken);

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await _encoded.Writer.FlushAsync(cancellationToken);

    /// <summary>Ends the encoded input and waits for the loop to decode and process all of it.</summary>
    public async Task CompleteAsync()
    {
        await CompleteWriterAsync();
        await _loop;
    }

    private async Task DecodeLoopAsync(Stream decoded, Func<ReadOnlyMemory<byte>, ValueTask> process, Func<ValueTask> undecodable)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int read;
            while ((read = await decoded.ReadAsync(buffer)) > 0)
            {
                await process(buffer.AsMemory(0, read));
            }
        }
        catch (InvalidDataException)
        {
            await undecodable();
        }
        finally
        {
            // Further writes complete at once instead of filling the pipe nobody reads.
            await _encoded.Reader.CompleteAsync();
            ArrayPool<byte>.Shared.Return(buffer);
            await decoded.DisposeAsync();
        }
    }

    private async ValueTask CompleteWriterAsync()
    {
        if (!_writerCompleted)
        {
            _writerCompleted = true;
            await _encoded.Writer.CompleteAsync();
        }
    }

    /// <summary>Stops the loop (if the body was never completed) and observes its end; a loop cut short by an abort is not an error.</summary>
    public async ValueTask DisposeAsync()
    {
        await CompleteWriterAsync();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // Only reached when the body was not completed (the request failed or was aborted): nothing is left to report to.
        }
    }
}
