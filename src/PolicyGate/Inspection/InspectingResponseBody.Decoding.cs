using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Inspection;

internal sealed partial class InspectingResponseBody
{
    private Pipe? _decodePipe;
    private Task? _decodeLoop;

    /// <summary>Starts decoding gzip/deflate/br bodies on a background loop fed through a pipe; false for other encodings.</summary>
    private bool StartDecoder(string encoding)
    {
        Func<Stream, Stream>? factory = encoding switch
        {
            "gzip" or "x-gzip" => static s => new GZipStream(s, CompressionMode.Decompress),
            "deflate" => static s => new ZLibStream(s, CompressionMode.Decompress),
            "br" => static s => new BrotliStream(s, CompressionMode.Decompress),
            _ => null,
        };
        if (factory is null)
        {
            return false;
        }

        _decodePipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        _decodeLoop = Task.Run(() => DecodeLoopAsync(factory(_decodePipe.Reader.AsStream())));
        return true;
    }

    private async Task DecodeLoopAsync(Stream decoded)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int read;
            while ((read = await decoded.ReadAsync(buffer)) > 0)
            {
                await ProcessAsync(buffer.AsMemory(0, read), final: false);
            }
        }
        catch (InvalidDataException)
        {
            await _decodePipe!.Reader.CompleteAsync();
            await UndecodableBodyAsync();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await decoded.DisposeAsync();
        }
    }

    /// <summary>A body that claimed gzip/deflate/br but does not decode: blocked like an unknown encoding (fail closed).</summary>
    private async ValueTask UndecodableBodyAsync()
    {
        if (_policy.Mode == InspectionMode.Monitor)
        {
            _voter.Add(new DetectionHit(DetectorNames.Encoding, DetectionChannel.Automaton, _scanner.Total, 0));
        }

        if (Blocking)
        {
            await BlockAsync(DetectorNames.Encoding);
        }
    }

    private async ValueTask WriteEncodedAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_aborted || _blockDetector is not null)
        {
            return;
        }

        await _decodePipe!.Writer.WriteAsync(buffer, cancellationToken);
    }

    private async Task CompleteDecoderAsync()
    {
        if (_decodePipe is null || _decodeLoop is null)
        {
            return;
        }

        await _decodePipe.Writer.CompleteAsync();
        await _decodeLoop;
    }

    private async ValueTask DisposeDecoderAsync()
    {
        if (_decodePipe is not null)
        {
            await _decodePipe.Writer.CompleteAsync();
            if (_decodeLoop is not null)
            {
                try
                {
                    await _decodeLoop;
                }
                catch (Exception) when (_aborted)
                {
                }
            }
        }
    }
}
