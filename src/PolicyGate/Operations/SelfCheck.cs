using System.Net;

namespace PolicyGate.Operations;

/// <summary>The watchdog's self-check: every readiness check passes and the metrics listener (metrics.listen, restart-only) answers /healthz.</summary>
public sealed class SelfCheck(ReadinessEvaluator readiness, IPEndPoint metrics) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Null when healthy; else the first reason.</summary>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> failures = readiness.Failures();
        if (failures.Count > 0)
        {
            KeyValuePair<string, string> first = failures.First();
            return $"{first.Key}: {first.Value}";
        }

        IPAddress address = metrics.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : metrics.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : metrics.Address;
        try
        {
            using HttpResponseMessage response = await _client.GetAsync(
                new UriBuilder("http", address.ToString(), metrics.Port, "/healthz").Uri, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"healthz: {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "healthz: " + e.Message;
        }
    }

    public void Dispose() => _client.Dispose();
}
