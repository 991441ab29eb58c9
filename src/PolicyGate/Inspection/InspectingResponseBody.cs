using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Inspection;

/// <summary>
/// The response body the backend side of the pipeline writes to (<see cref="Stream"/> and <see cref="IHttpResponseBodyFeature"/>
/// plumbing only). At the first write the response headers choose the path: passthrough (content type not inspected),
/// inspect (<see cref="InspectedBodyWriter"/>), decode then inspect (<see cref="ResponseBodyDecoder"/>), or discard
/// (undecodable, blocked). Synchronous writes follow Kestrel: refused unless AllowSynchronousIO.
/// </summary>
internal sealed class InspectingResponseBody : Stream, IHttpResponseBodyFeature
{
    private readonly InspectionContext _inspection;
    private readonly TenantPolicy _policy;
    private readonly IHttpResponseBodyFeature _client;
    private readonly InspectionVerdict _verdict;
    private readonly InspectedBodyWriter _body;
    private ResponseBodyDecoder? _decoder;
    private BodyPath _path;
    private PipeWriter? _writer;
    private bool _completed;

    public InspectingResponseBody(InspectionContext inspection, TenantPolicy policy, IHttpResponseBodyFeature client)
    {
        _inspection = inspection;
        _policy = policy;
        _client = client;
        _verdict = new InspectionVerdict(inspection, policy);
        _body = new InspectedBodyWriter(inspection, policy, _verdict, client);
    }

    public Stream Stream => this;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void DisableBuffering() => _client.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await ChoosePathAsync();
        if (_path == BodyPath.Passthrough)
        {
            await _client.StartAsync(cancellationToken);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_completed || buffer.IsEmpty)
        {
            return;
        }

        await ChoosePathAsync();
        switch (_path)
        {
            case BodyPath.Passthrough:
                await _client.Stream.WriteAsync(buffer, cancellationToken);
                break;
            case BodyPath.Decode:
                await _decoder!.WriteAsync(buffer, cancellationToken);
                break;
            case BodyPath.Inspect:
                await _body.ProcessAsync(buffer, final: false);
                break;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        EnsureSynchronousIOAllowed();
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        switch (_path)
        {
            case BodyPath.Passthrough:
                await _client.Stream.FlushAsync(cancellationToken);
                break;
            case BodyPath.Decode:
                await _decoder!.FlushAsync(cancellationToken);
                break;
            case BodyPath.Inspect:
                await _body.FlushLinesAsync();
                break;
        }
    }

    public override void Flush()
    {
        EnsureSynchronousIOAllowed();
        FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

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

        await ChoosePathAsync();
        switch (_path)
        {
            case BodyPath.Passthrough:
                await _client.CompleteAsync();
                return;
            case BodyPath.Decode:
                await _decoder!.CompleteAsync(); // the loop is done: the body is this thread's again
                break;
            case BodyPath.Discard:
                return;
        }

        await _body.ProcessAsync(ReadOnlyMemory<byte>.Empty, final: true);
        await _body.FinishAsync();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_decoder is not null)
        {
            await _decoder.DisposeAsync();
        }

        // Only once no decode loop can touch the body any more.
        _body.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Picks the path from the response headers, once, before the first byte.</summary>
    private async ValueTask ChoosePathAsync()
    {
        if (_path != BodyPath.Undecided)
        {
            return;
        }

        IHeaderDictionary headers = _inspection.Http.Response.Headers;
        if (!_policy.MatchesContentType(headers.ContentType))
        {
            _path = BodyPath.Passthrough;
            return;
        }

        bool eventStream = headers.ContentType.ToString().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        string encoding = headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is "" or "identity")
        {
            _path = BodyPath.Inspect;
            _body.Begin(eventStream, bodyChanged: false);
            return;
        }

        if (ResponseBodyDecoder.Supports(encoding))
        {
            _path = BodyPath.Decode;
            headers.Remove(HeaderNames.ContentEncoding);
            _body.Begin(eventStream, bodyChanged: true);
            // From here until CompleteAsync awaits it, the decode loop alone drives _body.
            _decoder = ResponseBodyDecoder.TryStart(encoding,
                decoded => _body.ProcessAsync(decoded, final: false),
                () => _verdict.UndecodableBodyAsync(_body.Scanned, _body.BytesSent, _client));
            return;
        }

        _path = await _verdict.UndecodableAsync(encoding, _client) ? BodyPath.Passthrough : BodyPath.Discard;
    }

    /// <summary>Like Kestrel's response stream: synchronous writes only when the server or request allows them.</summary>
    private void EnsureSynchronousIOAllowed()
    {
        if (_inspection.Http.Features.Get<IHttpBodyControlFeature>()?.AllowSynchronousIO != true)
        {
            throw new InvalidOperationException("Synchronous operations are disallowed. Call WriteAsync or set AllowSynchronousIO to true instead.");
        }
    }

    /// <summary>Where written bytes go; chosen once from the response headers.</summary>
    private enum BodyPath
    {
        Undecided,
        Passthrough,
        Inspect,
        Decode,
        Discard,
    }
}
