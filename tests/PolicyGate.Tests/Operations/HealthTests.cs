using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_answers_on_the_metrics_listener_only()
    {
        await using TestNode node = await TestNode.StartAsync();
        HttpResponseMessage ok = await node.Metrics.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        using HttpClient admin = new() { BaseAddress = node.Admin.BaseAddress };
        HttpResponseMessage onAdmin = await admin.GetAsync("/healthz");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, onAdmin.StatusCode);
    }
}
