using System.Text.Json.Nodes;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Inspection;

/// <summary>Verdicts: block/limit/encoding decisions, metrics and queued audit entries.</summary>
internal sealed partial class InspectingResponseBody
{
    /// <summary>Content-Encoding we cannot decode: block/redact fail closed (`encoding`), monitor passes and audits.</summary>
    private async ValueTask UndecodableAsync(string encoding)
    {
        JsonObject extra = new() { ["content_encoding"] = encoding };
        if (Blocking)
        {
            _state = BodyState.Discarding;
            await BlockAsync(DetectorNames.Encoding);
            return;
        }

        _state = BodyState.Passthrough;
        InspectionMetrics.Verdicts.WithLabels("monitor", DetectorNames.Encoding).Inc();
        _inspection.Enqueue(InspectionAuditKinds.Monitor, "allow", DetectorNames.Encoding, [DetectorNames.Encoding], extra);
    }

    /// <summary>Past max_scan_bytes: block/redact fail closed (`limit`); monitor stops scanning, audits and passes the rest.</summary>
    private async ValueTask LimitAsync(ReadOnlyMemory<byte> data)
    {
        if (Blocking)
        {
            await BlockAsync(DetectorNames.Limit);
            return;
        }

        _scanStopped = true;
        InspectionMetrics.Verdicts.WithLabels("monitor", DetectorNames.Limit).Inc();
        _inspection.Enqueue(InspectionAuditKinds.Limit, "allow", DetectorNames.Limit, [DetectorNames.Limit],
            new JsonObject { ["max_scan_bytes"] = _policy.MaxScanBytes });
        await StartStreamingAsync();
        await EmitAsync(_scanner.Total);
        await _inner.Writer.WriteAsync(data);
    }

    /// <summary>A block: before any byte was sent → 403 at completion; while streaming → audit durably, then abort.</summary>
    private async ValueTask BlockAsync(string detector)
    {
        _blockDetector = detector;
        if (!_streaming)
        {
            return;
        }

        _aborted = true;
        RecordVerdict();
        await _inspection.PersistBlockAsync(detector, Detected(detector));
        _inspection.Http.Abort();
    }

    private IEnumerable<string> Detected(string detector) => _voter.Detectors.Count > 0 ? _voter.Detectors : [detector];

    /// <summary>Metrics and queued audit entries for the response's verdict and any channel disagreement (once).</summary>
    private void RecordVerdict()
    {
        if (_verdictRecorded)
        {
            return;
        }

        _verdictRecorded = true;
        string verdict = _policy.Mode switch
        {
            InspectionMode.Block => "block",
            InspectionMode.Redact => "redact",
            _ => "monitor",
        };
        if (_blockDetector is DetectorNames.Limit or DetectorNames.Encoding)
        {
            InspectionMetrics.Verdicts.WithLabels("block", _blockDetector).Inc();
        }
        else if (_voter.Detectors.Count == 0)
        {
            InspectionMetrics.Passed.Inc();
        }

        IReadOnlyList<string> detectors = _voter.Detectors;
        for (int i = 0; i < detectors.Count; i++)
        {
            InspectionMetrics.Verdicts.WithLabels(verdict, detectors[i]).Inc();
        }

        if (_voter.Detectors.Count > 0 && _policy.Mode != InspectionMode.Block)
        {
            _inspection.Enqueue(_policy.Mode == InspectionMode.Redact ? InspectionAuditKinds.Redact : InspectionAuditKinds.Monitor,
                _policy.Mode == InspectionMode.Redact ? "redact" : "allow", _voter.FirstDetector!, _voter.Detectors);
        }

        // Disagreements need hits; a clean response skips computing them.
        if (!_voter.Blocks)
        {
            return;
        }

        IReadOnlyList<RiskDisagreement> disagreements = _voter.Disagreements;
        if (disagreements.Count > 0)
        {
            InspectionMetrics.Disagreements.Inc();
            _inspection.Enqueue(InspectionAuditKinds.Disagreement, "diagnostic", disagreements[0].ToString(), _voter.Detectors,
                new JsonObject
                {
                    ["risks"] = new JsonArray(disagreements.Select(d => (JsonNode)JsonValue.Create(d.ToString())).ToArray()),
                    ["automaton"] = _voter.AutomatonHit,
                    ["rules"] = _voter.RulesHit,
                });
        }
    }
}
