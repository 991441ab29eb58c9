using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Configuration;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store;

/// <summary>Two nodes sharing one real PostgreSQL (store.kind = "postgres"): changes propagate by LISTEN/NOTIFY.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNodeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ChangesOnOneNodeReachTheOtherByNotify()
    {
        string connection = await postgres.CreateDatabaseAsync();
        void Configure(PolicyGateOptions o)
        {
            o.Store.Kind = "postgres";
            o.Store.ConnectionString = connection;
        }

        await using TestNode nodeA = await TestNode.StartAsync(Configure);
        // Node B's periodic resync runs on a clock that never moves, so only NOTIFY can bring it changes.
        await using TestNode nodeB = await TestNode.StartAsync(TestNode.CreateOptions(Configure), s => s.AddSingleton<TimeProvider>(new ManualTimeProvider()));

        await nodeA.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","port_policy":{"ports":[{"port":443}],"restrict_mode":true}}""");
        await WaitForAsync(nodeB, "/api/v1/instances/web_1/port-policy", json => (string?)json?["source"] == "instance");

        await nodeA.Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", """{"ports":[{"port":22}],"restrict_mode":true}""");
        await WaitForAsync(nodeB, "/api/v1/instances/web_1/port-policy", json => (string?)json?["source"] == "admin");

        await nodeB.Admin.SendAsync(HttpMethod.Delete, "/api/v1/instances/web_1");
        await WaitForAsync(nodeA, "/api/v1/instances", json => json?["instances"]!.AsArray().Count == 0);
    }

    [Fact]
    public void PostgresWithoutAConnectionStringIsAConfigError()
    {
        Assert.Null(Environment.GetEnvironmentVariable(PolicyGate.Store.StoreRegistration.ConnectionEnvironmentVariable));
        PolicyGateOptions options = TestNode.CreateOptions(o => o.Store.Kind = "postgres");

        ConfigException e = Assert.Throws<ConfigException>(() => AppHost.Build(options));

        Assert.Equal("store.connection_string: postgres needs a connection string (or env POLICYGATE_STORE_CONNECTION)", e.Message);
    }

    private static async Task WaitForAsync(TestNode node, string path, Func<JsonNode?, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            (HttpStatusCode status, JsonNode? json) = await node.Admin.SendAsync(HttpMethod.Get, path);
            if (status == HttpStatusCode.OK && condition(json))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} on the other node stayed {json?.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
