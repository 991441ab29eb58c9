using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Store;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store;

/// <summary>The periodic resync: a node picks up changes another process made to the same store after 10 s.</summary>
public sealed class RegistryResyncTests
{
    [Fact]
    public async Task NodeSeesAnotherWritersChangesAfterTheResyncInterval()
    {
        await using TestNode writer = await TestNode.StartAsync();
        string database = "Data Source=" + Path.Combine(writer.DataDir, "policygate.db");
        // The reader's resync timer runs on a manual clock so the test decides when 10 s have passed.
        ManualTimeProvider clock = new();
        await using TestNode reader = await TestNode.StartAsync(TestNode.CreateOptions(o => o.Store.ConnectionString = database), s => s.AddSingleton<TimeProvider>(clock));

        await writer.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"web_1","app_id":"web","address":"127.0.0.1"}""");
        await reader.Admin.ErrorAsync(HttpMethod.Get, "/api/v1/instances/web_1", null, HttpStatusCode.NotFound, "instance web_1 not found");

        clock.Advance(InstanceRegistryStartup.ResyncInterval);

        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await reader.Admin.SendAsync(HttpMethod.Get, "/api/v1/instances/web_1")).Status != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "resync did not bring web_1");
            await Task.Delay(50);
        }
    }
}
