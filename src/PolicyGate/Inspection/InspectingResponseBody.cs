using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace PolicyGate.Inspection;

/// <summary>
/// The response body seen by the backend side of the pipeline: bytes written here are scanned before they reach the
/// real body. This file holds the <see cref="Stream"/> / <see cref="IHttpResponseBodyFeature"/> plumbing; the
/// judging lives in InspectingResponseBody.Judging.cs and decoding in InspectingResponseBody.Decoding.cs.
/// </summary>
internal sealed partial class InspectingResponseBody : Stream, IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private PipeWriter? _writer;
    private bool _completed;

    public Stream Stream => this;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void DisableBuffering() => _inner.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await DecideAsync();
        if (_state == BodyState.Passthrough)
        {
            await _inner.StartAsync(cancellationToken);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_writer is not null)
        {
            await _writer.CompleteAsync();
        }

        await DecideAsync();
        await FinishAsync();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_state == BodyState.Passthrough)
        {
            await _inner.Stream.FlushAsync(cancellationToken);
        }
        else if (_decodePipe is not null)
        {
            await _decodePipe.Writer.FlushAsync(cancellationToken);
        }
        else if (_state == BodyState.Inspecting)
        {
            await FlushScannedLinesAsync();
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_completed || buffer.IsEmpty)
        {
            return;
        }

        await DecideAsync();
        switch (_state)
        {
            case BodyState.Passthrough:
                await _inner.Stream.WriteAsync(buffer, cancellationToken);
                break;
            case BodyState.Decoding:
                await WriteEncodedAsync(buffer, cancellationToken);
                break;
            case BodyState.Inspecting:
                await ProcessAsync(buffer, final: false);
                break;
            default:
                break;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await DisposeDecoderAsync();

        // Only once no decode loop can touch the scanner any more; after an exception above the buffers are left to the GC.
        _scanner.Dispose();
        _eventData?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>What the body does with written bytes, decided from the response headers at the first write.</summary>
    private enum BodyState
    {
        Undecided,
        Passthrough,
        Inspecting,
        Decoding,
        Discarding,
    }
}
