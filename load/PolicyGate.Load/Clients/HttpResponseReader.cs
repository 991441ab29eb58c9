using System.Buffers.Text;

namespace PolicyGate.Load.Clients;

/// <summary>Reads one HTTP/1.1 response (Content-Length, chunked or close-delimited) from a stream into a reused buffer, discarding the body.</summary>
public sealed class HttpResponseReader(Stream stream, int bufferSize = 64 * 1024)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private long _consumed;

    /// <summary>Status of the last response.</summary>
    public int StatusCode { get; private set; }

    /// <summary>True when the last response asked to close the connection.</summary>
    public bool ConnectionClose { get; private set; }

    /// <summary>Reads a full response and returns the bytes it took on the wire.</summary>
    public async ValueTask<long> ReadResponseAsync(CancellationToken ct)
    {
        _consumed = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start >= _buffer.Length - 1024)
            {
                throw new LoadStepException("protocol", "response headers too large");
            }

            await FillAsync(ct, "response headers");
        }

        long contentLength = ParseHeaders(_buffer.AsSpan(_start, headerEnd), out bool chunked);
        Consume(headerEnd + 4);
        if (chunked)
        {
            await SkipChunkedAsync(ct);
        }
        else if (contentLength >= 0)
        {
            await SkipAsync(contentLength, ct);
        }
        else
        {
            ConnectionClose = true;
            await SkipToEndAsync(ct);
        }

        return _consumed;
    }

    private long ParseHeaders(ReadOnlySpan<byte> head, out bool chunked)
    {
        chunked = false;
        ConnectionClose = false;
        long contentLength = -1;
        int lineEnd = head.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out _))
        {
            throw new LoadStepException("protocol", "bad status line");
        }

        StatusCode = status;
        ReadOnlySpan<byte> rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            ReadOnlySpan<byte> name = line[..colon];
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim((byte)' ');
            if (System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                Utf8Parser.TryParse(value, out contentLength, out _);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.IndexOf("chunked"u8) >= 0;
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                ConnectionClose = System.Text.Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return chunked ? -1 : contentLength;
    }

    private void Consume(int count)
    {
        _start += count;
        _consumed += count;
    }

    private async ValueTask SkipAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_end == _start)
            {
                await FillAsync(ct, "response body");
            }

            int take = (int)Math.Min(count, _end - _start);
            Consume(take);
            count -= take;
        }
    }

    private async ValueTask SkipChunkedAsync(CancellationToken ct)
    {
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync(ct, "chunk size");
            }

            ReadOnlySpan<byte> sizeText = _buffer.AsSpan(_start, lineEnd);
            int semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0)
            {
                sizeText = sizeText[..semicolon];
            }

            if (!Utf8Parser.TryParse(sizeText, out long size, out _, 'x'))
            {
                throw new LoadStepException("protocol", "bad chunk size");
            }

            Consume(lineEnd + 2);
            if (size == 0)
            {
                // Trailer section: skip lines until the empty one.
                while (true)
                {
                    while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                    {
                        await FillAsync(ct, "chunked trailer");
                    }

                    Consume(lineEnd + 2);
                    if (lineEnd == 0)
                    {
                        return;
                    }
                }
            }

            await SkipAsync(size + 2, ct);
        }
    }

    private async ValueTask SkipToEndAsync(CancellationToken ct)
    {
        _consumed += _end - _start;
        _start = _end = 0;
        int n;
        while ((n = await stream.ReadAsync(_buffer, ct)) > 0)
        {
            _consumed += n;
        }
    }

    private async ValueTask FillAsync(CancellationToken ct, string what)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (n == 0)
        {
            throw new LoadStepException("closed", "connection closed while reading " + what);
        }

        _end += n;
    }

    /// <summary>Reads a CONNECT answer's head (no body) and returns its status code.</summary>
    public async ValueTask<int> ReadHeadOnlyAsync(CancellationToken ct)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(ct, "CONNECT answer");
        }

        ParseHeaders(_buffer.AsSpan(_start, headerEnd), out _);
        _start += headerEnd + 4;
        return StatusCode;
    }

    /// <summary>Bytes read past the last response (a tunnel's first bytes); they stay in the buffer.</summary>
    public int Buffered => _end - _start;
}
