using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Inspection;

/// <summary>
/// The hold-or-stream policy of an inspected body: scans decoded bytes, holds the response whole up to hold_bytes, streams
/// scanned bytes past it (SSE: whole events, never held), and hands hits to the <see cref="InspectionVerdict"/>. Nothing
/// reaches the client before it was scanned; headers go out with the first byte sent. Used by one thread at a time.
/// </summary>
internal sealed class InspectedBodyWriter : IDisposable
{
    private static readonly byte[] s_eventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] s_eventEndCrLf = "\r\n\r\n"u8.ToArray();

    private readonly InspectionContext _inspection;
    private readonly TenantPolicy _policy;
    private readonly InspectionVerdict _verdict;
    private readonly IHttpResponseBodyFeature _client;
    private readonly StreamScanner _scanner;
    private readonly RedactionWriter _output;
    private readonly List<DetectionHit> _hits = [];
    private readonly List<DetectionHit> _joinedHits = [];
    private EventStreamDataJoiner? _eventData;
    private bool _bodyChanged;
    private bool _streaming;
    private bool _scanStopped;

    public InspectedBodyWriter(InspectionContext inspection, TenantPolicy policy, InspectionVerdict verdict, IHttpResponseBodyFeature client)
    {
        _inspection = inspection;
        _policy = policy;
        _verdict = verdict;
        _client = client;
        _scanner = new StreamScanner(policy.Profile);
        _output = new RedactionWriter(policy.Mode == InspectionMode.Redact);
    }

    /// <summary>True once any byte (or the headers) went to the client: from then on a block can only abort.</summary>
    public bool BytesSent { get; private set; }

    /// <summary>Scanned bytes so far (where an undecodable body stopped).</summary>
    public long Scanned => _scanner.Total;

    private HttpResponse Response => _inspection.Http.Response;

    /// <summary>Called once, from the response headers, before the first byte: sizes the hold buffer, sets up SSE joining.</summary>
    public void Begin(bool eventStream, bool bodyChanged)
    {
        _bodyChanged = bodyChanged;
        if (_policy.Mode == InspectionMode.Redact || bodyChanged)
        {
            Response.Headers.Remove(HeaderNames.ContentLength);
        }

        if (eventStream)
        {
            // Events are sent as soon as they are scanned (never held); the first one still decides 403 vs abort.
            _eventData = new EventStreamDataJoiner(_policy.Profile);
            _streaming = true;
            return;
        }

        if (Response.ContentLength is > 0 and var length && length <= _inspection.HoldBytes && length <= _policy.MaxScanBytes && length <= int.MaxValue)
        {
            _scanner.Reserve((int)length); // a body held whole gets its scan buffer sized once
        }
    }

    /// <summary>Scans decoded body bytes and sends what is safe to send.</summary>
    public async ValueTask ProcessAsync(ReadOnlyMemory<byte> data, bool final)
    {
        if (_verdict.BlockedBy is not null)
        {
            return;
        }

        if (_scanStopped)
        {
            await SendRawAsync(data);
            return;
        }

        if (_scanner.Total + data.Length > _policy.MaxScanBytes)
        {
            await LimitAsync(data);
            return;
        }

        _hits.Clear();
        _scanner.Feed(data.Span, final, _hits);
        InspectionMetrics.ScannedBytes.Inc(data.Length);
        if (_eventData is not null && await ScanEventDataAsync(final))
        {
            return;
        }

        if (_hits.Count > 0)
        {
            _verdict.AddRange(_hits);
            _output.AddHits(_hits);
            if (_policy.Mode == InspectionMode.Block)
            {
                await _verdict.BlockAsync(_hits[0].Detector, BytesSent, _client);
                return;
            }
        }

        _streaming |= _scanner.Total > _inspection.HoldBytes;
        if (_streaming)
        {
            await EmitAsync(final ? _scanner.Total : SendableEnd());
        }
    }

    /// <summary>
    /// The backend flushed while streaming (e.g. NDJSON lines): send scanned bytes through the last newline, which no
    /// later bytes can still turn into a PII/secret hit, instead of waiting for the next chunk.
    /// </summary>
    public async ValueTask FlushLinesAsync()
    {
        if (!_streaming || _verdict.BlockedBy is not null || _eventData is not null)
        {
            return;
        }

        int newline = _scanner.Slice(_output.Written, _scanner.Total).LastIndexOf((byte)'\n');
        if (newline >= 0)
        {
            await EmitAsync(Math.Max(_scanner.StableEnd, _output.Written + newline + 1));
        }
    }

    /// <summary>After the final <see cref="ProcessAsync"/>: records the verdict and sends what is left (a held body whole).</summary>
    public async Task FinishAsync()
    {
        if (_verdict.BlockedBy is not null)
        {
            return;
        }

        _verdict.Record();
        if (!_streaming)
        {
            await WriteHeldAsync();
        }

        await _client.CompleteAsync();
    }

    /// <summary>Past max_scan_bytes: block/redact fail closed (`limit`); monitor stops scanning, audits and passes the rest.</summary>
    private async ValueTask LimitAsync(ReadOnlyMemory<byte> data)
    {
        if (_verdict.Blocking)
        {
            await _verdict.BlockAsync(DetectorNames.Limit, BytesSent, _client);
            return;
        }

        _scanStopped = true;
        _streaming = true;
        _verdict.LimitPassed();
        await EmitAsync(_scanner.Total);
        await SendRawAsync(data);
    }

    /// <summary>
    /// Scans the joined `data:` values of SSE events; a hit spanning events ends the stream (block, redact) or is audited
    /// (monitor). Hits inside one event are left to the raw scan, which can still redact them.
    /// </summary>
    private async ValueTask<bool> ScanEventDataAsync(bool final)
    {
        List<DetectionHit> joinedHits = _joinedHits;
        joinedHits.Clear();
        long from = Math.Min(_eventData!.Parsed, _output.Written);
        _eventData.Feed(_scanner.Slice(from, _scanner.Total), from, final, joinedHits);
        int kept = 0;
        for (int i = 0; i < joinedHits.Count; i++)
        {
            if (_eventData.CrossesEvents(joinedHits[i]))
            {
                joinedHits[kept++] = joinedHits[i];
            }
        }

        joinedHits.RemoveRange(kept, joinedHits.Count - kept);
        if (joinedHits.Count == 0)
        {
            return false;
        }

        _verdict.AddRange(joinedHits);
        if (!_verdict.Blocking)
        {
            return false;
        }

        await _verdict.BlockAsync(joinedHits[0].Detector, BytesSent, _client);
        return true;
    }

    /// <summary>How far the body may be sent now: whole SSE events as soon as they are scanned, else the scanner's stable point.</summary>
    private long SendableEnd()
    {
        if (_eventData is null)
        {
            return _scanner.StableEnd;
        }

        ReadOnlySpan<byte> unsent = _scanner.Slice(_output.Written, _scanner.Total);
        int lf = unsent.LastIndexOf(s_eventEnd);
        int crlf = unsent.LastIndexOf(s_eventEndCrLf);
        long end = Math.Max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 4);
        return end < 0 ? _output.Written : _output.Written + end;
    }

    private async ValueTask EmitAsync(long upTo)
    {
        if (upTo <= _output.Written)
        {
            return;
        }

        BytesSent = true;
        _output.WriteTo(_client.Writer, _scanner, upTo);
        _scanner.Release(_output.Written);
        await _client.Writer.FlushAsync();
    }

    private async ValueTask SendRawAsync(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        BytesSent = true;
        await _client.Writer.WriteAsync(data);
    }

    /// <summary>A held body passed (or was redacted/decoded): send it whole, with an exact Content-Length when it changed.</summary>
    private async Task WriteHeldAsync()
    {
        bool head = HttpMethods.IsHead(_inspection.Http.Request.Method);
        if (!_output.HasPending)
        {
            // Nothing to redact: the held bytes go out as they are, straight from the scan buffer in one write.
            long length = _scanner.Total - _output.Written;
            if ((_bodyChanged || length != _scanner.Total) && !head)
            {
                Response.ContentLength = length;
            }

            if (_scanner.Total > _output.Written)
            {
                await SendRawAsync(_scanner.SliceMemory(_output.Written, _scanner.Total));
            }

            return;
        }

        ArrayBufferWriter<byte> body = new((int)Math.Max(256, _scanner.Total));
        _output.WriteTo(body, _scanner, _scanner.Total);
        if ((_bodyChanged || body.WrittenCount != _scanner.Total) && !head)
        {
            Response.ContentLength = body.WrittenCount;
        }

        await SendRawAsync(body.WrittenMemory);
    }

    public void Dispose()
    {
        _scanner.Dispose();
        _eventData?.Dispose();
    }
}
