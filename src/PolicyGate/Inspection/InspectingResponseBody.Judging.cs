using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Inspection;

internal sealed partial class InspectingResponseBody
{
    private static readonly byte[] s_eventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] s_eventEndCrLf = "\r\n\r\n"u8.ToArray();

    private readonly InspectionContext _inspection;
    private readonly TenantPolicy _policy;
    private readonly StreamScanner _scanner;
    private readonly RedactionWriter _output;
    private readonly InspectionVoter _voter;
    private readonly List<DetectionHit> _hits = [];
    private readonly List<DetectionHit> _joinedHits = [];
    private EventStreamDataJoiner? _eventData;
    private BodyState _state;
    private bool _streaming;
    private bool _eventStream;
    private bool _bodyChanged;
    private bool _scanStopped;
    private bool _aborted;
    private bool _verdictRecorded;
    private string? _blockDetector;

    public InspectingResponseBody(InspectionContext inspection, TenantPolicy policy, IHttpResponseBodyFeature inner)
    {
        _inspection = inspection;
        _policy = policy;
        _inner = inner;
        _scanner = new StreamScanner(policy.Profile);
        _voter = new InspectionVoter(RiskCoverage.From(policy.Profile));
        _output = new RedactionWriter(policy.Mode == InspectionMode.Redact);
    }

    private HttpResponse Response => _inspection.Http.Response;

    private bool Blocking => _policy.Mode is InspectionMode.Block or InspectionMode.Redact;

    private async ValueTask DecideAsync()
    {
        if (_state != BodyState.Undecided)
        {
            return;
        }

        IHeaderDictionary headers = Response.Headers;
        if (!_policy.MatchesContentType(headers.ContentType))
        {
            _state = BodyState.Passthrough;
            return;
        }

        _eventStream = headers.ContentType.ToString().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        string encoding = headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is "" or "identity")
        {
            _state = BodyState.Inspecting;
            ReserveHold(Response.ContentLength);
        }
        else if (StartDecoder(encoding))
        {
            _state = BodyState.Decoding;
            headers.Remove(HeaderNames.ContentEncoding);
            headers.Remove(HeaderNames.ContentLength);
            _bodyChanged = true;
        }
        else
        {
            await UndecodableAsync(encoding);
            return;
        }

        if (_policy.Mode == InspectionMode.Redact)
        {
            headers.Remove(HeaderNames.ContentLength);
        }

        if (_eventStream)
        {
            _eventData = new EventStreamDataJoiner(_policy.Profile);
            await StartStreamingAsync();
        }
    }

    /// <summary>A body of known length that will be held whole gets its scan buffer sized once, instead of growing chunk by chunk.</summary>
    private void ReserveHold(long? contentLength)
    {
        if (contentLength is > 0 and var length && length <= _inspection.HoldBytes && length <= _policy.MaxScanBytes && length <= int.MaxValue)
        {
            _scanner.Reserve((int)length);
        }
    }

    /// <summary>Scans decoded body bytes and sends what is safe to send.</summary>
    private async ValueTask ProcessAsync(ReadOnlyMemory<byte> data, bool final)
    {
        if (_aborted || _blockDetector is not null)
        {
            return;
        }

        if (_scanStopped)
        {
            await StartStreamingAsync();
            await _inner.Writer.WriteAsync(data);
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
            _voter.AddRange(_hits);
            _output.AddHits(_hits);
            if (_policy.Mode == InspectionMode.Block)
            {
                await BlockAsync(_hits[0].Detector);
                return;
            }
        }

        if (!_streaming && _scanner.Total > _inspection.HoldBytes)
        {
            await StartStreamingAsync();
        }

        if (_streaming)
        {
            await EmitAsync(final ? _scanner.Total : SendableEnd());
        }
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

        _voter.AddRange(joinedHits);
        if (!Blocking)
        {
            return false;
        }

        await BlockAsync(joinedHits[0].Detector);
        return true;
    }

    /// <summary>How far the body may be sent now: whole SSE events as soon as they are scanned, else the scanner's stable point.</summary>
    private long SendableEnd()
    {
        if (!_eventStream)
        {
            return _scanner.StableEnd;
        }

        ReadOnlySpan<byte> unsent = _scanner.Slice(_output.Written, _scanner.Total);
        int lf = unsent.LastIndexOf(s_eventEnd);
        int crlf = unsent.LastIndexOf(s_eventEndCrLf);
        long end = Math.Max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 4);
        return end < 0 ? _output.Written : _output.Written + end;
    }

    /// <summary>
    /// The backend flushed while streaming (e.g. NDJSON lines): send scanned bytes through the last newline, which no
    /// later bytes can still turn into a PII/secret hit, instead of waiting for the next chunk.
    /// </summary>
    private async ValueTask FlushScannedLinesAsync()
    {
        if (!_streaming || _aborted || _blockDetector is not null || _eventStream)
        {
            return;
        }

        int newline = _scanner.Slice(_output.Written, _scanner.Total).LastIndexOf((byte)'\n');
        if (newline >= 0)
        {
            await EmitAsync(Math.Max(_scanner.StableEnd, _output.Written + newline + 1));
        }
    }

    private async ValueTask EmitAsync(long upTo)
    {
        if (upTo <= _output.Written)
        {
            return;
        }

        _output.WriteTo(_inner.Writer, _scanner, upTo);
        _scanner.Release(_output.Written);
        await _inner.Writer.FlushAsync();
    }

    private async ValueTask StartStreamingAsync()
    {
        if (_streaming)
        {
            return;
        }

        _streaming = true;
        if (_bodyChanged || _policy.Mode == InspectionMode.Redact)
        {
            Response.Headers.Remove(HeaderNames.ContentLength);
        }

        await _inner.StartAsync();
    }

    private async Task FinishAsync()
    {
        if (_state == BodyState.Passthrough)
        {
            await _inner.CompleteAsync();
            return;
        }

        await CompleteDecoderAsync();
        if (_state == BodyState.Inspecting || _state == BodyState.Decoding)
        {
            await ProcessAsync(ReadOnlyMemory<byte>.Empty, final: true);
        }

        if (_aborted)
        {
            return;
        }

        RecordVerdict();
        if (_blockDetector is not null)
        {
            await BlockedResponse.WriteAsync(_inspection, _inner, _blockDetector, Detected(_blockDetector));
            return;
        }

        if (!_streaming)
        {
            await WriteHeldAsync();
        }

        await _inner.CompleteAsync();
    }

    /// <summary>A held body passed (or was redacted/decoded): send it whole, with an exact Content-Length when it changed.</summary>
    private async Task WriteHeldAsync()
    {
        if (!_output.HasPending)
        {
            // Nothing to redact: the held bytes go out as they are, straight from the scan buffer in one write.
            long length = _scanner.Total - _output.Written;
            if ((_bodyChanged || length != _scanner.Total) && !HttpMethods.IsHead(_inspection.Http.Request.Method))
            {
                Response.ContentLength = length;
            }

            if (_scanner.Total > _output.Written)
            {
                await _inner.Writer.WriteAsync(_scanner.SliceMemory(_output.Written, _scanner.Total));
            }

            return;
        }

        ArrayBufferWriter<byte> body = new((int)Math.Max(256, _scanner.Total));
        _output.WriteTo(body, _scanner, _scanner.Total);
        bool changed = _bodyChanged || body.WrittenCount != _scanner.Total;
        if (changed && !HttpMethods.IsHead(_inspection.Http.Request.Method))
        {
            Response.ContentLength = body.WrittenCount;
        }

        if (body.WrittenCount > 0)
        {
            await _inner.Writer.WriteAsync(body.WrittenMemory);
        }
    }
}
