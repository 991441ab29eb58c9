using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Operations;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

public sealed class MetricsAndReadinessTests
{
    [Fact]
    public async Task Metrics_has_policygate_runtime_and_kestrel_series_on_the_metrics_listener_only()
    {
        await using TestNode node = await TestNode.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Metrics.GetAsync("/healthz")).StatusCode);
        HttpResponseMessage response = await node.Metrics.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\npolicygate_config_reloads_total{outcome=\"ok\"}", text, StringComparison.Ordinal);
        Assert.Contains("\npolicygate_build_info{", text, StringComparison.Ordinal);
        Assert.Contains("\nprocess_cpu_seconds_total ", text, StringComparison.Ordinal);
        Assert.Contains("\ndotnet_total_memory_bytes ", text, StringComparison.Ordinal);
        Assert.Contains("\nsystem_runtime_dotnet_gc_", text, StringComparison.Ordinal);
        Assert.Contains("microsoft_aspnetcore_server_kestrel_kestrel_active_connections", text, StringComparison.Ordinal);

        using HttpClient plain = new() { BaseAddress = node.Admin.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_is_200_when_every_check_passes()
    {
        await using TestNode node = await TestNode.StartAsync();
        HttpResponseMessage response = await node.Metrics.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ready\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_is_503_with_the_reasons_while_a_check_fails_and_recovers()
    {
        // A test check registered through TestNode's hook stands in for a feature's check (store, certs, tenants):
        // the endpoint must report any registered IReadinessCheck, whoever registers it.
        StaticReadinessCheck store = new("store", "database is locked");
        await using TestNode node = await TestNode.StartAsync(TestNode.CreateOptions(), services => services.AddSingleton<IReadinessCheck>(store));

        HttpResponseMessage response = await node.Metrics.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("database is locked", body.RootElement.GetProperty("reasons").GetProperty("store").GetString());
        Assert.Equal(HttpStatusCode.OK, (await node.Metrics.GetAsync("/healthz")).StatusCode);

        store.Reason = null;
        Assert.Equal(HttpStatusCode.OK, (await node.Metrics.GetAsync("/readyz")).StatusCode);
    }
}
