using System.Net;
using PolicyGate.Core.Policy;
using PolicyGate.Operations;
using PolicyGate.Runtime;

namespace PolicyGate.Store;

/// <summary>
/// Lazy fetch of instances' self-reported port policies (DESIGN §5): GET agent_url (else http://address:agent_port/path),
/// transient errors retried with exponential backoff, permanent ones cache nothing. Never on a connection's critical path.
/// Each fetch reads port_policy_fetch.* from the runtime config once, when it starts.
/// </summary>
public sealed partial class PortPolicyFetchWorker(
    PortPolicyFetchQueue queue,
    InstanceRegistry registry,
    IHttpClientFactory httpClients,
    RuntimeConfigProvider runtime,
    TimeProvider time,
    ILogger<PortPolicyFetchWorker> logger) : BackgroundService
{
    public const string HttpClientName = "port-policy-fetch";
    public const string Caller = "port-policy-fetch";
    private const int MaxAnswerBytes = 1024 * 1024;

    /// <summary>Delay before retry number <paramref name="retry"/> (0-based): backoff_initial doubling, capped at backoff_max.</summary>
    public static TimeSpan Backoff(PortPolicyFetchSettings options, int retry)
    {
        double ticks = options.BackoffInitial.Ticks * Math.Pow(2, Math.Min(retry, 62));
        return ticks >= options.BackoffMax.Ticks ? options.BackoffMax : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The URL the worker asks for an instance's policy.</summary>
    public static Uri AgentUri(InstanceRecord instance, PortPolicyFetchSettings options)
    {
        if (!string.IsNullOrEmpty(instance.AgentUrl))
        {
            return new Uri(instance.AgentUrl);
        }

        string host = IPAddress.TryParse(instance.Address, out IPAddress? ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[" + instance.Address + "]"
            : instance.Address;
        return new Uri($"http://{host}:{options.AgentPort}{options.Path}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<Task> running = [];
        try
        {
            await foreach (string instanceId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(static t => t.IsCompleted);
                running.Add(FetchAsync(instanceId, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
    }

    private async Task FetchAsync(string instanceId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await FetchWithRetriesAsync(instanceId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (StoreUnavailableException e)
        {
            // Fails closed: an unstored policy is never used; the policy stays unknown and the next connection asks again.
            Log.NotStored(logger, instanceId, e.Message);
        }
        catch (Exception e)
        {
            Log.FetchCrashed(logger, instanceId, e);
        }
        finally
        {
            queue.Done(instanceId);
        }
    }

    private async Task FetchWithRetriesAsync(string instanceId, CancellationToken stoppingToken)
    {
        InstanceRecord? instance = registry.Get(instanceId);
        if (instance is null || instance.InstanceReported is not null)
        {
            return;
        }

        PortPolicyFetchSettings settings = runtime.Current.PortPolicyFetch;
        Uri uri = AgentUri(instance, settings);
        for (int attempt = 0; ; attempt++)
        {
            PortPolicyFetchOutcome outcome = await AttemptAsync(uri, settings.Timeout, stoppingToken);
            if (outcome.Policy is not null)
            {
                bool stored = await registry.StoreFetchedAsync(instanceId, instance.ComposeHash, outcome.Policy, Caller, stoppingToken);
                Log.Fetched(logger, instanceId, uri, stored);
                return;
            }

            if (!outcome.Transient)
            {
                Log.PermanentFailure(logger, instanceId, uri, outcome.Error);
                registry.FetchFailed(instanceId, instance.TenantId, uri, outcome.Error, attempt + 1);
                return;
            }

            if (attempt >= settings.MaxRetries)
            {
                Log.GaveUp(logger, instanceId, uri, attempt + 1, outcome.Error);
                registry.FetchFailed(instanceId, instance.TenantId, uri, outcome.Error, attempt + 1);
                return;
            }

            TimeSpan delay = Backoff(settings, attempt);
            Log.Retrying(logger, instanceId, uri, outcome.Error, delay);
            await Task.Delay(delay, time, stoppingToken);
        }
    }

    private async Task<PortPolicyFetchOutcome> AttemptAsync(Uri uri, TimeSpan answerTimeout, CancellationToken stoppingToken)
    {
        using CancellationTokenSource timeout = new(answerTimeout, time);
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        HttpClient client = httpClients.CreateClient(HttpClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        try
        {
            using HttpResponseMessage response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            int status = (int)response.StatusCode;
            if (status >= 500)
            {
                return PortPolicyFetchOutcome.Retry($"agent answered {status}");
            }

            if (status is < 200 or >= 300)
            {
                return PortPolicyFetchOutcome.Permanent($"agent answered {status}");
            }

            if (response.Content.Headers.ContentLength > MaxAnswerBytes)
            {
                return PortPolicyFetchOutcome.Permanent($"agent answer larger than {MaxAnswerBytes} bytes");
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync(linked.Token);
            return AgentAnswerParser.Parse(body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return PortPolicyFetchOutcome.Retry($"no answer within {answerTimeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException e)
        {
            return PortPolicyFetchOutcome.Retry(e.Message);
        }
        catch (IOException e)
        {
            return PortPolicyFetchOutcome.Retry(e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.PortPolicyFetchFetched, Level = LogLevel.Information, Message = "port policy of {InstanceId} fetched from {Uri} (stored: {Stored})")]
        public static partial void Fetched(ILogger logger, string instanceId, Uri uri, bool stored);

        [LoggerMessage(EventId = LogEvents.PortPolicyFetchRetrying, Level = LogLevel.Warning, Message = "port policy fetch for {InstanceId} from {Uri} failed: {Error}; retrying in {Delay}")]
        public static partial void Retrying(ILogger logger, string instanceId, Uri uri, string error, TimeSpan delay);

        [LoggerMessage(EventId = LogEvents.PortPolicyFetchPermanentFailure, Level = LogLevel.Warning, Message = "port policy fetch for {InstanceId} from {Uri} failed permanently: {Error}")]
        public static partial void PermanentFailure(ILogger logger, string instanceId, Uri uri, string error);

        [LoggerMessage(EventId = LogEvents.PortPolicyFetchGaveUp, Level = LogLevel.Warning, Message = "port policy fetch for {InstanceId} from {Uri} gave up after {Attempts} attempts: {Error}")]
        public static partial void GaveUp(ILogger logger, string instanceId, Uri uri, int attempts, string error);

        [LoggerMessage(EventId = LogEvents.PortPolicyFetchFetchCrashed, Level = LogLevel.Error, Message = "port policy fetch for {InstanceId} crashed")]
        public static partial void FetchCrashed(ILogger logger, string instanceId, Exception exception);

        [LoggerMessage(EventId = LogEvents.PortPolicyFetchNotStored, Level = LogLevel.Warning, Message = "port policy fetched for {InstanceId} not stored, the policy stays unknown (edge denies): {Error}")]
        public static partial void NotStored(ILogger logger, string instanceId, string error);
    }
}
