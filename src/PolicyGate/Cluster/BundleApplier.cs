using System.Text.Json.Nodes;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Bundles;
using PolicyGate.Operations;

namespace PolicyGate.Cluster;

/// <summary>
/// Takes bundles in (leader: published through the admin API; follower: fetched from the leader; both: the file kept on disk
/// at start), checks them in the order of DESIGN §9, keeps them on disk atomically, activates them and audits every apply and rejection.
/// </summary>
public sealed partial class BundleApplier
{
    private readonly PolicyGateOptions _options;
    private readonly ActiveBundle _active;
    private readonly BundleFiles _files;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<BundleApplier> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IReadOnlyDictionary<string, string> _labels;
    private AppliedBundle? _published;
    private string? _lastRejection;

    public BundleApplier(PolicyGateOptions options, ActiveBundle active, IServiceProvider services, TimeProvider time,
        ILogger<BundleApplier> logger)
    {
        _options = options;
        _active = active;
        _services = services;
        _time = time;
        _logger = logger;
        _files = new BundleFiles(options.DataDirectory);
        _labels = options.Cluster.LabelMap();
    }

    /// <summary>Leader: the bundle served on GET /api/v1/policy/latest (null = none yet).</summary>
    public AppliedBundle? Published => Volatile.Read(ref _published);

    private string NodeId => _options.Node.EffectiveId;

    private bool IsLeader => _options.Cluster.Role == ClusterRoles.Leader;

    /// <summary>
    /// At start, before any poll: the leader reloads its published bundle, the follower its last-known-good. The file is checked
    /// again (decode, signature against today's trusted_keys, audience) but not against the clock: a node keeps enforcing the last
    /// policy an operator signed rather than none.
    /// </summary>
    public void LoadAtStartup()
    {
        string name = IsLeader ? BundleFiles.Published : BundleFiles.LastKnownGood;
        byte[]? bytes = _files.Read(name);
        if (bytes is null)
        {
            return;
        }

        BundleVerdict verdict = BundleVerifier.Verify(bytes, new BundleVerifyContext(_options.Cluster.TrustedKeys, _time.GetUtcNow(),
            IsLeader ? null : NodeId, _labels, CheckWindow: false));
        if (verdict.Rejection is not null)
        {
            Rejected(verdict.Rejection, "last_known_good");
            return;
        }

        AppliedBundle applied = new(verdict.Bundle!, _time.GetUtcNow(), "last_known_good");
        if (IsLeader)
        {
            Volatile.Write(ref _published, applied);
            if (!verdict.Bundle!.Payload.Audience.Matches(NodeId, _labels))
            {
                return;
            }
        }

        Activate(applied);
    }

    /// <summary>Leader: PUT /api/v1/policy/bundle. Returns the HTTP status and the JSON answer.</summary>
    public async Task<(int Status, JsonObject Body)> PublishAsync(byte[] body, string caller, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            AppliedBundle? published = Published;
            BundleVerdict verdict = BundleVerifier.Verify(body, new BundleVerifyContext(_options.Cluster.TrustedKeys, _time.GetUtcNow(),
                ActiveVersion: published?.Payload.Version, ActiveHash: published?.Bundle.Hash));
            if (verdict.Rejection is not null)
            {
                Rejected(verdict.Rejection, "admin:" + caller);
                return (StatusCodes.Status400BadRequest, new JsonObject { ["error"] = verdict.Rejection.ToString(), ["code"] = verdict.Rejection.Code });
            }

            VerifiedBundle bundle = verdict.Bundle!;
            if (verdict.Unchanged)
            {
                return (StatusCodes.Status200OK, Answer(bundle, published: false, applied: false));
            }

            _files.WriteAtomic(BundleFiles.Published, bundle.EnvelopeBytes);
            AppliedBundle next = new(bundle, _time.GetUtcNow(), "admin");
            Volatile.Write(ref _published, next);
            Audit("bundle.publish", "change", "bundle published", bundle, new JsonObject { ["caller"] = caller });
            Log.Published(_logger, bundle.Payload.BundleId, bundle.Payload.Version, bundle.Hash, caller);
            bool forMe = bundle.Payload.Audience.Matches(NodeId, _labels);
            if (forMe)
            {
                Activate(next);
            }

            return (StatusCodes.Status200OK, Answer(bundle, published: true, applied: forMe));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Follower: a 200 answer from the leader. Check, stage, apply, then mark last-known-good. Returns the poll outcome.</summary>
    public async Task<(string Outcome, string? Error)> OfferAsync(byte[] body, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            AppliedBundle? active = _active.Current;
            BundleVerdict verdict = BundleVerifier.Verify(body, new BundleVerifyContext(_options.Cluster.TrustedKeys, _time.GetUtcNow(), NodeId, _labels,
                active?.Payload.Version, active?.Bundle.Hash));
            if (verdict.Rejection is not null)
            {
                Rejected(verdict.Rejection, "leader");
                return (BundlePollOutcomes.Rejected, verdict.Rejection.ToString());
            }

            if (verdict.Unchanged)
            {
                return (BundlePollOutcomes.NotModified, null);
            }

            VerifiedBundle bundle = verdict.Bundle!;
            try
            {
                _files.WriteAtomic(BundleFiles.Staged, bundle.EnvelopeBytes);
                Activate(new AppliedBundle(bundle, _time.GetUtcNow(), "leader"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(BundleFiles.Staged);
                BundleRejection failed = new("stage_failed", e.Message);
                Rejected(failed, "leader");
                return (BundlePollOutcomes.Rejected, failed.ToString());
            }

            _files.Promote(BundleFiles.Staged, BundleFiles.LastKnownGood);
            _lastRejection = null;
            return (BundlePollOutcomes.Ok, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Activate(AppliedBundle applied)
    {
        _active.Activate(applied);
        BundleMetrics.Active(applied.Payload.Version);
        Audit("bundle.apply", "change", "bundle applied", applied.Bundle, new JsonObject { ["source"] = applied.Source });
        Log.Applied(_logger, applied.Payload.BundleId, applied.Payload.Version, applied.Bundle.Hash, applied.Source);
    }

    private void Rejected(BundleRejection rejection, string source)
    {
        Log.Rejected(_logger, source, rejection.ToString());

        // A leader that keeps serving the same bad bundle would otherwise add an identical entry every poll.
        string key = source + "|" + rejection;
        if (source == "leader" && string.Equals(key, _lastRejection, StringComparison.Ordinal))
        {
            return;
        }

        _lastRejection = key;
        _services.GetRequiredService<IAuditLog>().Enqueue(new AuditEvent("bundle.reject", "deny", rejection.ToString(), source,
            Details: new JsonObject { ["code"] = rejection.Code, ["source"] = source }));
    }

    private void Audit(string kind, string decision, string reason, VerifiedBundle bundle, JsonObject details)
    {
        details["bundle_id"] = bundle.Payload.BundleId;
        details["version"] = bundle.Payload.Version;
        details["hash"] = bundle.Hash;
        details["sections"] = new JsonArray(bundle.Payload.Sections.Names().Select(n => (JsonNode)n).ToArray());
        _services.GetRequiredService<IAuditLog>().Enqueue(new AuditEvent(kind, decision, reason, bundle.Payload.BundleId, Details: details));
    }

    private static JsonObject Answer(VerifiedBundle bundle, bool published, bool applied) => new()
    {
        ["bundle_id"] = bundle.Payload.BundleId,
        ["version"] = bundle.Payload.Version,
        ["hash"] = bundle.Hash,
        ["published"] = published,
        ["applied"] = applied,
    };

    private void TryDelete(string name)
    {
        try
        {
            _files.Delete(name);
        }
        catch (IOException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.BundleApplied, Level = LogLevel.Information, Message = "bundle {BundleId} version {Version} ({Hash}) applied from {Source}")]
        public static partial void Applied(ILogger logger, string bundleId, ulong version, string hash, string source);

        [LoggerMessage(EventId = LogEvents.BundleRejected, Level = LogLevel.Warning, Message = "bundle from {Source} rejected: {Reason}")]
        public static partial void Rejected(ILogger logger, string source, string reason);

        [LoggerMessage(EventId = LogEvents.BundlePublished, Level = LogLevel.Information, Message = "bundle {BundleId} version {Version} ({Hash}) published by {Caller}")]
        public static partial void Published(ILogger logger, string bundleId, ulong version, string hash, string caller);
    }
}
