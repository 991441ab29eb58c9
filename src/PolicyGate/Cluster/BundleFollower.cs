using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using PolicyGate.Configuration;
using PolicyGate.Core.Bundles;
using PolicyGate.Operations;

namespace PolicyGate.Cluster;

/// <summary>
/// Follower: polls the leader over mTLS at start and then every cluster.poll_interval (±10 % jitter), sending If-None-Match
/// with the active bundle's hash once one is applied, and hands 200 answers to the <see cref="BundleApplier"/>.
/// </summary>
public sealed partial class BundleFollower : BackgroundService
{
    private readonly PolicyGateOptions _options;
    private readonly BundleApplier _applier;
    private readonly ActiveBundle _active;
    private readonly BundleStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<BundleFollower> _logger;
    private readonly HttpClient _http;
    private readonly Uri _latest;

    public BundleFollower(PolicyGateOptions options, ClusterTls tls, BundleApplier applier, ActiveBundle active, BundleStatus status, TimeProvider time,
        ILogger<BundleFollower> logger)
    {
        _options = options;
        _applier = applier;
        _active = active;
        _status = status;
        _time = time;
        _logger = logger;
        _latest = new Uri(options.Cluster.LeaderUrl.TrimEnd('/') + LeaderEndpoint.Path);
        SocketsHttpHandler handler = new()
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions =
            {
                ClientCertificates = [tls.Certificate],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => tls.ValidateServer(certificate, errors),
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PollOnceAsync(stoppingToken);
            double jitter = 0.9 + (Random.Shared.NextDouble() * 0.2);
            try
            {
                await Task.Delay(_options.Cluster.PollInterval * jitter, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One poll; never throws except on shutdown.</summary>
    public async Task PollOnceAsync(CancellationToken ct)
    {
        string outcome;
        string? error = null;
        try
        {
            (outcome, error) = await FetchAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or (TaskCanceledException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            outcome = BundlePollOutcomes.Unreachable;
            error = OneLine(e);
        }

        BundleMetrics.Poll(outcome);
        _status.RecordPoll(_time.GetUtcNow(), outcome, error);
        if (error is not null && outcome == BundlePollOutcomes.Unreachable)
        {
            Log.Unreachable(_logger, _latest, error);
        }
    }

    private async Task<(string Outcome, string? Error)> FetchAsync(CancellationToken ct)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, _latest);
        if (_active.Current is { } active)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"" + active.Bundle.Hash + "\""));
        }

        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotModified:
            case HttpStatusCode.NoContent:
                return (BundlePollOutcomes.NotModified, null);
            case HttpStatusCode.OK:
                await using (Stream stream = await response.Content.ReadAsStreamAsync(ct))
                {
                    return await _applier.OfferAsync(await BundleBody.ReadAsync(stream, ct), ct);
                }
            default:
                return (BundlePollOutcomes.Unreachable, $"leader answered HTTP {(int)response.StatusCode}");
        }
    }

    private static string OneLine(Exception e)
    {
        string message = e.Message;
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += ": " + inner.Message;
        }

        return message.ReplaceLineEndings(" ");
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.BundleLeaderUnreachable, Level = LogLevel.Warning, Message = "leader {Url} unreachable: {Error}")]
        public static partial void Unreachable(ILogger logger, Uri url, string error);
    }
}
