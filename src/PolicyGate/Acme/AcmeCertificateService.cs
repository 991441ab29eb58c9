using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PolicyGate.Configuration;
using PolicyGate.Core.Acme;
using PolicyGate.Core.Audit;
using PolicyGate.Edge;
using PolicyGate.Runtime;
using PolicyGate.Operations;

namespace PolicyGate.Acme;

/// <summary>
/// Keeps the edge's ACME certificate: serves the stored one at start, obtains one when missing, renews at 2/3 of its
/// lifetime (minus jitter) and swaps it into the edge without touching open connections. A failure keeps the served
/// certificate and retries with exponential backoff; every attempt is counted and audited.
/// </summary>
public sealed partial class AcmeCertificateService(
    PolicyGateOptions options,
    RuntimeConfigProvider runtime,
    TlsAlpnChallengeResponder tlsAlpn,
    IAuditLog audit,
    TimeProvider time,
    ILogger<AcmeCertificateService> logger) : BackgroundService
{
    private static readonly TimeSpan s_maxIdleWait = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AcmeSettings _settings = AcmeSettings.From(options);
    private readonly AcmeFiles _files = new(options.DataDirectory);
    private AcmeIssuer? _issuer;
    private X509Certificate2? _served;
    private int _failures;
    private long _nextAttemptTicks;

    /// <summary>When the next issuance or renewal is due.</summary>
    public DateTimeOffset NextAttempt => new(Volatile.Read(ref _nextAttemptTicks), TimeSpan.Zero);


    /// <summary>The leaf of the ACME certificate the edge serves, or null before the first one.</summary>
    public X509Certificate2? Served => _served;

    private void SetNextAttempt(DateTimeOffset at) => Volatile.Write(ref _nextAttemptTicks, at.UtcTicks);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        SetNextAttempt(time.GetUtcNow());
        LoadStored();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Renews (or issues) now, whatever the schedule (admin POST /api/v1/certificates/renew).</summary>
    public Task<AcmeRenewalResult> RenewNowAsync(CancellationToken cancellationToken) => AttemptAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait = NextAttempt - time.GetUtcNow();
            try
            {
                if (wait <= TimeSpan.Zero)
                {
                    await AttemptAsync(stoppingToken);
                }
                else
                {
                    // Short sleeps so a forced renewal's new schedule is picked up without a wake-up signal.
                    await Task.Delay(wait < s_maxIdleWait ? wait : s_maxIdleWait, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<AcmeRenewalResult> AttemptAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await AttemptCoreAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AcmeRenewalResult> AttemptCoreAsync(CancellationToken cancellationToken)
    {
        string kind = _served is null ? AcmeConstants.KindIssue : AcmeConstants.KindRenew;
        string auditKind = kind == AcmeConstants.KindIssue ? AcmeConstants.AuditKindIssue : AcmeConstants.AuditKindRenew;
        Log.Attempt(logger, kind, string.Join(", ", _settings.Names), options.Edge.Acme.DirectoryUrl);
        try
        {
            _issuer ??= CreateIssuer();
            (string chainPem, string keyPem) = await _issuer.ObtainAsync(cancellationToken);
            _files.SaveCertificate(chainPem, keyPem);
            Serve(EdgeCertificateLoader.LoadContext(_files.CertificateFile, _files.CertificateKeyFile));
            _failures = 0;
            AcmeMetrics.Certificates.WithLabels(kind, AcmeConstants.OutcomeOk).Inc();
            AcmeMetrics.ConsecutiveFailures.Set(0);
            X509Certificate2 leaf = _served!;
            string message = kind == AcmeConstants.KindIssue ? "certificate issued" : "certificate renewed";
            audit.Enqueue(new AuditEvent(auditKind, "change", message, _settings.Names[0], Details: Details(leaf, null)));
            Log.Obtained(logger, kind, leaf.SerialNumber, leaf.NotAfter.ToUniversalTime(), NextAttempt);
            return new AcmeRenewalResult(true, kind, message, leaf.SerialNumber, leaf.NotAfter.ToUniversalTime(), NextAttempt);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (CA, DNS API, script, disk, a malformed answer), the served certificate stays and a retry is scheduled.
            _failures++;
            SetNextAttempt(time.GetUtcNow() + RenewalSchedule.Backoff(_failures, options.Edge.Acme.RetryInitial, options.Edge.Acme.RetryMax));
            string reason = e is OperationCanceledException ? "timed out talking to the ACME server or DNS API" : e.Message.ReplaceLineEndings(" ");
            AcmeMetrics.Certificates.WithLabels(kind, AcmeConstants.OutcomeError).Inc();
            AcmeMetrics.ConsecutiveFailures.Set(_failures);
            audit.Enqueue(new AuditEvent(auditKind, "error", reason, _settings.Names[0], Details: Details(_served, _failures)));
            Log.Failed(logger, kind, _failures, NextAttempt, _served is null ? "none" : _served.SerialNumber, reason);
            return new AcmeRenewalResult(false, kind, reason, _served?.SerialNumber, _served?.NotAfter.ToUniversalTime(), NextAttempt);
        }
    }

    private AcmeIssuer CreateIssuer()
    {
        AcmeClient client = new(AcmeHttp.ForAcmeServer(options), new Uri(options.Edge.Acme.DirectoryUrl), _files.LoadOrCreateAccountKey(), time);
        return new AcmeIssuer(client, _settings, CreateDnsProvider(), tlsAlpn, time, logger);
    }

    private IDnsChallengeProvider? CreateDnsProvider()
    {
        AcmeOptions acme = options.Edge.Acme;
        if (acme.Challenge != AcmeSettings.Dns01)
        {
            return null;
        }

        if (acme.DnsProvider == "exec")
        {
            return new ExecDnsProvider(options.ResolvePath(acme.DnsExecCommand), acme.DnsExecTimeout);
        }

        string token = acme.CloudflareTokenFile.Length > 0
            ? File.ReadAllText(options.ResolvePath(acme.CloudflareTokenFile)).Trim()
            : Environment.GetEnvironmentVariable(AcmeConstants.CloudflareTokenVariable) ?? "";
        if (token.Length == 0)
        {
            throw new AcmeException($"dns_provider \"cloudflare\" needs an API token: set edge.acme.cloudflare_token_file or env {AcmeConstants.CloudflareTokenVariable}");
        }

        return new CloudflareDnsProvider(AcmeHttp.ForDnsApi(), new Uri(acme.CloudflareApiUrl.TrimEnd('/') + "/"), token, acme.CloudflareZoneId);
    }

    /// <summary>Serves the stored certificate at start when it still covers the configured names and has not expired.</summary>
    private void LoadStored()
    {
        if (!_files.HasCertificate)
        {
            return;
        }

        try
        {
            System.Net.Security.SslStreamCertificateContext context = EdgeCertificateLoader.LoadContext(_files.CertificateFile, _files.CertificateKeyFile);
            X509Certificate2 leaf = context.TargetCertificate;
            if (leaf.NotAfter.ToUniversalTime() <= time.GetUtcNow().UtcDateTime || !Covers(leaf, _settings.Names))
            {
                Log.StoredUnusable(logger, _files.CertificateFile);
                return;
            }

            Serve(context);
            Log.StoredLoaded(logger, leaf.SerialNumber, leaf.NotAfter.ToUniversalTime(), NextAttempt);
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            Log.StoredUnreadable(logger, _files.CertificateFile, e.Message);
        }
    }

    private void Serve(System.Net.Security.SslStreamCertificateContext context)
    {
        X509Certificate2 leaf = context.TargetCertificate;
        // New handshakes take the new snapshot; a connection keeps the snapshot it started with, so none is dropped.
        runtime.Update(c => c with { Tls = c.Tls.WithCertificate(new EdgeCertificate(context, null)) });
        _served = leaf;
        SetNextAttempt(RenewalSchedule.RenewAt(leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(), options.Edge.Acme.RenewJitter, Random.Shared.NextDouble()));
        AcmeMetrics.NotAfter.Set(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds());
    }

    private static bool Covers(X509Certificate2 leaf, IReadOnlyList<string> names)
    {
        HashSet<string> sans = new(StringComparer.OrdinalIgnoreCase);
        foreach (X509Extension extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                sans.UnionWith(san.EnumerateDnsNames());
            }
        }

        return names.All(sans.Contains);
    }

    private JsonObject Details(X509Certificate2? leaf, int? failures)
    {
        JsonObject details = new()
        {
            ["directory"] = options.Edge.Acme.DirectoryUrl,
            ["names"] = new JsonArray([.. _settings.Names.Select(static n => (JsonNode)JsonValue.Create(n)!)]),
            ["next_attempt"] = NextAttempt.ToString("O"),
        };
        if (leaf is not null)
        {
            details["serial"] = leaf.SerialNumber;
            details["not_after"] = new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToString("O");
        }

        if (failures is { } count)
        {
            details["consecutive_failures"] = count;
        }

        return details;
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.AcmeOrdering, LogLevel.Information, "ACME {Kind}: ordering a certificate for {Names} from {Directory}")]
        public static partial void Attempt(ILogger logger, string kind, string names, string directory);

        [LoggerMessage(LogEvents.AcmeServing, LogLevel.Information, "ACME {Kind}: certificate {Serial} (expires {NotAfter:O}) now served; renewal due {NextAttempt:O}")]
        public static partial void Obtained(ILogger logger, string kind, string serial, DateTime notAfter, DateTimeOffset nextAttempt);

        [LoggerMessage(LogEvents.AcmeFailed, LogLevel.Error, "ACME {Kind} failed ({Failures} in a row; retry at {NextAttempt:O}; still serving {Serial}): {Reason}")]
        public static partial void Failed(ILogger logger, string kind, int failures, DateTimeOffset nextAttempt, string serial, string reason);

        [LoggerMessage(LogEvents.AcmeServingStored, LogLevel.Information, "ACME: serving stored certificate {Serial} (expires {NotAfter:O}); renewal due {NextAttempt:O}")]
        public static partial void StoredLoaded(ILogger logger, string serial, DateTime notAfter, DateTimeOffset nextAttempt);

        [LoggerMessage(LogEvents.AcmeStoredInvalid, LogLevel.Warning, "ACME: stored certificate {File} is expired or does not cover the configured names; ordering a new one")]
        public static partial void StoredUnusable(ILogger logger, string file);

        [LoggerMessage(LogEvents.AcmeStoredUnreadable, LogLevel.Warning, "ACME: stored certificate {File} is unreadable ({Error}); ordering a new one")]
        public static partial void StoredUnreadable(ILogger logger, string file, string error);
    }
}
