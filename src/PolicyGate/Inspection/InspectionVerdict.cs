using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Inspection;

/// <summary>
/// The verdict of one inspected response (DESIGN §7): collects both channels' hits, decides block / limit / encoding, acts
/// (403 while nothing was sent, abort once bytes went out), and records metrics and audit entries once. Used by one
/// thread at a time (the writer of the body, or the decode loop while it owns the body).
/// </summary>
internal sealed class InspectionVerdict
{
    private readonly InspectionContext _inspection;
    private readonly TenantPolicy _policy;
    private readonly InspectionVoter _voter;
    private bool _recorded;

    public InspectionVerdict(InspectionContext inspection, TenantPolicy policy)
    {
        _inspection = inspection;
        _policy = policy;
        _voter = new InspectionVoter(RiskCoverage.From(policy.Profile));
    }

    /// <summary>block or redact: a hit (or a body that cannot be judged) stops the response.</summary>
    public bool Blocking => _policy.Mode is InspectionMode.Block or InspectionMode.Redact;

    /// <summary>The detector that blocked the response; once set no further byte may reach the client.</summary>
    public string? BlockedBy { get; private set; }

    public void AddRange(List<DetectionHit> hits) => _voter.AddRange(hits);

    /// <summary>
    /// Blocks: while nothing was sent the client gets the documented 403 (X-PolicyGate-Blocked, JSON body with the audit seq)
    /// now; once bytes went out the block is audited durably and the response aborted.
    /// </summary>
    public async ValueTask BlockAsync(string detector, bool bytesSent, IHttpResponseBodyFeature client)
    {
        if (BlockedBy is not null)
        {
            return;
        }

        BlockedBy = detector;
        _inspection.Http.Features.Set(new InspectionBlockFeature(detector));
        Record();
        if (!bytesSent)
        {
            await BlockedResponse.WriteAsync(_inspection, client, detector, Detected(detector));
            return;
        }

        await _inspection.PersistBlockAsync(detector, Detected(detector));
        _inspection.Http.Abort();
    }

    /// <summary>Content-Encoding we cannot decode: block/redact fail closed (`encoding`); monitor passes and audits.</summary>
    public async ValueTask<bool> UndecodableAsync(string encoding, IHttpResponseBodyFeature client)
    {
        if (Blocking)
        {
            await BlockAsync(DetectorNames.Encoding, bytesSent: false, client);
            return false;
        }

        InspectionMetrics.Verdicts.WithLabels("monitor", DetectorNames.Encoding).Inc();
        _inspection.Enqueue(InspectionAuditKinds.Monitor, "allow", DetectorNames.Encoding, [DetectorNames.Encoding],
            new JsonObject { ["content_encoding"] = encoding });
        return true;
    }

    /// <summary>A body that claimed gzip/deflate/br but does not decode: blocked like an unknown encoding (fail closed).</summary>
    public async ValueTask UndecodableBodyAsync(long at, bool bytesSent, IHttpResponseBodyFeature client)
    {
        if (_policy.Mode == InspectionMode.Monitor)
        {
            _voter.Add(new DetectionHit(DetectorNames.Encoding, DetectionChannel.Automaton, at, 0));
        }

        if (Blocking)
        {
            await BlockAsync(DetectorNames.Encoding, bytesSent, client);
        }
    }

    /// <summary>Past max_scan_bytes in monitor mode: audited once; the caller stops scanning and passes the rest.</summary>
    public void LimitPassed()
    {
        InspectionMetrics.Verdicts.WithLabels("monitor", DetectorNames.Limit).Inc();
        _inspection.Enqueue(InspectionAuditKinds.Limit, "allow", DetectorNames.Limit, [DetectorNames.Limit],
            new JsonObject { ["max_scan_bytes"] = _policy.MaxScanBytes });
    }

    /// <summary>Metrics and queued audit entries for the response's verdict and any channel disagreement (once).</summary>
    public void Record()
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        string verdict = _policy.Mode switch
        {
            InspectionMode.Block => "block",
            InspectionMode.Redact => "redact",
            _ => "monitor",
        };
        if (BlockedBy is DetectorNames.Limit or DetectorNames.Encoding)
        {
            InspectionMetrics.Verdicts.WithLabels("block", BlockedBy).Inc();
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

        if (detectors.Count > 0 && _policy.Mode != InspectionMode.Block)
        {
            _inspection.Enqueue(_policy.Mode == InspectionMode.Redact ? InspectionAuditKinds.Redact : InspectionAuditKinds.Monitor,
                _policy.Mode == InspectionMode.Redact ? "redact" : "allow", _voter.FirstDetector!, detectors);
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
            _inspection.Enqueue(InspectionAuditKinds.Disagreement, "diagnostic", disagreements[0].ToString(), detectors,
                new JsonObject
                {
                    ["risks"] = new JsonArray(disagreements.Select(d => (JsonNode)JsonValue.Create(d.ToString())).ToArray()),
                    ["automaton"] = _voter.AutomatonHit,
                    ["rules"] = _voter.RulesHit,
                });
        }
    }

    private IEnumerable<string> Detected(string detector) => _voter.Detectors.Count > 0 ? _voter.Detectors : [detector];
}
