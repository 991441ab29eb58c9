using System.Net;
using System.Text.Json.Nodes;
using PolicyGate.Configuration;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Edge.Support;

/// <summary>A real node for edge tests: instances registered and overridden through the admin API, denials read from the audit chain files.</summary>
public sealed class EdgeNode : IAsyncDisposable
{
    private EdgeNode(TestNode node) => Node = node;

    public TestNode Node { get; }
    public IPEndPoint Edge => Node.EdgeEndPoint;
    public string AuditDir => Path.Combine(Node.DataDir, "audit");

    /// <summary>Starts a node; <paramref name="configureServices"/> may replace services (e.g. a manual TimeProvider).</summary>
    public static async Task<EdgeNode> StartAsync(Action<PolicyGateOptions>? configure = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        PolicyGateOptions options = TestNode.CreateOptions(o =>
        {
            // Generous for a loaded 2-core machine, short enough for timeout tests to finish quickly.
            o.Edge.Timeouts.Handshake = TimeSpan.FromSeconds(3);
            o.Edge.Timeouts.PpHeader = TimeSpan.FromSeconds(3);
            o.Edge.Timeouts.Connect = TimeSpan.FromSeconds(3);
            configure?.Invoke(o);
        });
        return new EdgeNode(await TestNode.StartAsync(options, configureServices));
    }

    /// <summary>POST /api/v1/instances for an instance at <paramref name="address"/> (policy null = none reported).</summary>
    public Task RegisterAsync(string instanceId, string appId, PortPolicy? policy, string? agentUrl = null, string address = "127.0.0.1")
    {
        JsonObject body = new() { ["instance_id"] = instanceId, ["app_id"] = appId, ["address"] = address };
        if (policy is not null)
        {
            body["port_policy"] = ToJson(policy);
        }

        if (agentUrl is not null)
        {
            body["agent_url"] = agentUrl;
        }

        return Node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", body.ToJsonString());
    }

    /// <summary>PUT …/port-policy (the admin override), or DELETE it when <paramref name="policy"/> is null.</summary>
    public Task SetOverrideAsync(string instanceId, PortPolicy? policy) => policy is null
        ? Node.Admin.OkAsync(HttpMethod.Delete, $"/api/v1/instances/{instanceId}/port-policy")
        : Node.Admin.OkAsync(HttpMethod.Put, $"/api/v1/instances/{instanceId}/port-policy", ToJson(policy).ToJsonString());

    public Task HeartbeatAsync(string instanceId) => Node.Admin.OkAsync(HttpMethod.Post, $"/api/v1/instances/{instanceId}/heartbeat");

    /// <summary>Policy allowing exactly the given ports.</summary>
    public static PortPolicy Only(params PortRule[] rules) => new(rules, restrictMode: true);

    /// <summary>Waits (bounded) for the edge.deny entry about <paramref name="subject"/> in the audit chain and checks its reason.</summary>
    public async Task<JsonObject> WaitForDenialAuditAsync(string subject, string reason)
    {
        JsonObject entry = await AuditFiles.WaitForAsync(AuditDir, PolicyGate.Edge.EdgeConstants.AuditKindDeny, subject);
        Assert.Equal(reason, (string?)entry["reason"]);
        Assert.Equal("deny", (string?)entry["decision"]);
        return entry;
    }

    private static JsonObject ToJson(PortPolicy policy)
    {
        JsonArray ports = [];
        foreach (PortRule rule in policy.Ports)
        {
            JsonObject port = new() { ["port"] = rule.Port, ["pp"] = rule.Pp };
            if (rule.Protocol is not null)
            {
                port["protocol"] = rule.Protocol;
            }

            ports.Add(port);
        }

        return new JsonObject { ["ports"] = ports, ["restrict_mode"] = policy.RestrictMode };
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
