using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Admin;

/// <summary>The instances and port-policy rows of the admin API (DESIGN §10) over real sockets, with the real audit chain.</summary>
public sealed class InstanceApiTests : IAsyncLifetime
{
    private const string Restricted = """{"ports":[{"port":8080,"pp":true,"protocol":"http"},{"port":22,"protocol":"tcp"}],"restrict_mode":true}""";
    private const string OnlySsh = """{"ports":[{"port":22}],"restrict_mode":true}""";
    private TestNode _node = null!;

    private HttpClient Admin => _node.Admin;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static string Registration(string id = "web_1", string? hash = "h1", string? policy = Restricted, string app = "web")
    {
        JsonObject body = new() { ["instance_id"] = id, ["app_id"] = app, ["address"] = "127.0.0.1", ["compose_hash"] = hash };
        if (policy is not null)
        {
            body["port_policy"] = JsonNode.Parse(policy);
        }

        return body.ToJsonString();
    }

    private Task<JsonNode> RegisterAsync(string body) => Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", body);

    private Task<JsonNode> PortPolicyAsync(string id = "web_1") => Admin.OkAsync(HttpMethod.Get, $"/api/v1/instances/{id}/port-policy");

    [Fact]
    public async Task RegisterAnswersTheInstanceShape()
    {
        JsonNode instance = await Admin.OkAsync(HttpMethod.Post, "/api/v1/instances",
            """{"instance_id":"web_1","app_id":"web","tenant_id":"default","address":"127.0.0.1","agent_url":"http://127.0.0.1:1/info","compose_hash":"h1","port_policy":{"ports":[{"port":8080,"pp":true,"protocol":"http"},{"port":22}],"restrict_mode":true}}""");

        Assert.Equal(
            ["instance_id", "app_id", "tenant_id", "address", "agent_url", "compose_hash", "registered_at", "last_seen", "port_policy"],
            instance.AsObject().Select(p => p.Key));
        Assert.Equal("http://127.0.0.1:1/info", (string)instance["agent_url"]!);
        Assert.True(DateTimeOffset.TryParse((string)instance["registered_at"]!, out _));
        const string policy = """{"ports":[{"port":22,"pp":false,"protocol":null},{"port":8080,"pp":true,"protocol":"http"}],"restrict_mode":true}""";
        Assert.Equal(
            $$"""{"effective":{{policy}},"source":"instance","instance_reported":{{policy}},"admin_override":null}""",
            instance["port_policy"]!.ToJsonString());
        Assert.Equal(instance.ToJsonString(), (await Admin.OkAsync(HttpMethod.Get, "/api/v1/instances/web_1")).ToJsonString());
    }

    [Fact]
    public async Task ListFiltersByApp()
    {
        await RegisterAsync(Registration("web_2", app: "web"));
        await RegisterAsync(Registration("web_1", app: "web"));
        await RegisterAsync(Registration("db_1", app: "db"));

        JsonNode all = await Admin.OkAsync(HttpMethod.Get, "/api/v1/instances");
        JsonNode web = await Admin.OkAsync(HttpMethod.Get, "/api/v1/instances?app_id=web");

        Assert.Equal(["db_1", "web_1", "web_2"], all["instances"]!.AsArray().Select(i => (string)i!["instance_id"]!));
        Assert.Equal(["web_1", "web_2"], web["instances"]!.AsArray().Select(i => (string)i!["instance_id"]!));
    }

    [Fact]
    public async Task UnrestrictedPolicyAndUnknownPolicyShowAsSuch()
    {
        await RegisterAsync(Registration("open_1", policy: """{"ports":[]}"""));
        await RegisterAsync(Registration("none_1", policy: null));

        JsonNode open = await PortPolicyAsync("open_1");
        JsonNode none = await PortPolicyAsync("none_1");

        Assert.Equal("""{"ports":[],"restrict_mode":false}""", open["effective"]!.ToJsonString());
        Assert.Equal("""{"effective":null,"source":"none","instance_reported":null,"admin_override":null}""", none.ToJsonString());
    }

    [Fact]
    public async Task OverrideWinsBothWaysAndClearReverts()
    {
        await RegisterAsync(Registration());

        JsonNode set = await Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", OnlySsh);
        Assert.Equal("admin", (string)set["source"]!);
        Assert.Equal("""{"ports":[{"port":22,"pp":false,"protocol":null}],"restrict_mode":true}""", set["effective"]!.ToJsonString());

        // A later report by the instance does not beat the override.
        await RegisterAsync(Registration(policy: """{"ports":[{"port":9999}],"restrict_mode":true}"""));
        Assert.Equal("admin", (string)(await PortPolicyAsync())["source"]!);
        Assert.Equal(9999, (int)(await PortPolicyAsync())["instance_reported"]!["ports"]![0]!["port"]!);

        JsonNode cleared = await Admin.OkAsync(HttpMethod.Delete, "/api/v1/instances/web_1/port-policy");
        Assert.Equal("instance", (string)cleared["source"]!);
        Assert.Null(cleared["admin_override"]);
        Assert.Equal(9999, (int)cleared["effective"]!["ports"]![0]!["port"]!);
    }

    [Fact]
    public async Task OverrideSurvivesANewComposeHashWhichDropsTheReportedPolicy()
    {
        await RegisterAsync(Registration(hash: "h1"));
        await Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", OnlySsh);

        JsonNode instance = await RegisterAsync(Registration(hash: "h2", policy: null));

        Assert.Equal("admin", (string)instance["port_policy"]!["source"]!);
        Assert.Null(instance["port_policy"]!["instance_reported"]);
        JsonNode cleared = await Admin.OkAsync(HttpMethod.Delete, "/api/v1/instances/web_1/port-policy");
        Assert.Equal("""{"effective":null,"source":"none","instance_reported":null,"admin_override":null}""", cleared.ToJsonString());
    }

    [Fact]
    public async Task SameHashWithoutPolicyKeepsTheCachedOne()
    {
        await RegisterAsync(Registration(hash: "h1"));

        JsonNode instance = await RegisterAsync(Registration(hash: "h1", policy: null));

        Assert.Equal("instance", (string)instance["port_policy"]!["source"]!);
    }

    [Fact]
    public async Task HeartbeatAndDelete()
    {
        JsonNode registered = await RegisterAsync(Registration());
        await Task.Delay(20);

        JsonNode beat = await Admin.OkAsync(HttpMethod.Post, "/api/v1/instances/web_1/heartbeat");
        Assert.True(DateTimeOffset.Parse((string)beat["last_seen"]!) > DateTimeOffset.Parse((string)registered["last_seen"]!));

        (HttpStatusCode status, _) = await Admin.SendAsync(HttpMethod.Delete, "/api/v1/instances/web_1");
        Assert.Equal(HttpStatusCode.NoContent, status);
        await Admin.ErrorAsync(HttpMethod.Get, "/api/v1/instances/web_1", null, HttpStatusCode.NotFound, "instance web_1 not found");
    }

    [Theory]
    [InlineData("GET", "/api/v1/instances/nope")]
    [InlineData("DELETE", "/api/v1/instances/nope")]
    [InlineData("POST", "/api/v1/instances/nope/heartbeat")]
    [InlineData("GET", "/api/v1/instances/nope/port-policy")]
    [InlineData("PUT", "/api/v1/instances/nope/port-policy")]
    [InlineData("DELETE", "/api/v1/instances/nope/port-policy")]
    [InlineData("GET", "/api/v1/instances/WEB_1")]
    [InlineData("DELETE", "/api/v1/instances/WEB_1")]
    public async Task UnknownInstanceIs404(string method, string path)
    {
        await RegisterAsync(Registration());
        string id = path.Split('/')[4];

        await Admin.ErrorAsync(new HttpMethod(method), path, method == "PUT" ? OnlySsh : null, HttpStatusCode.NotFound, $"instance {id} not found");
    }

    [Theory]
    [InlineData("", "port policy is required")]
    [InlineData("null", "port policy is required")]
    [InlineData(" null \n", "port policy is required")]
    [InlineData("""{"ports":[{"port":0}]}""", "port 0 out of range")]
    [InlineData("""{"ports":[{"port":65536}]}""", "port 65536 out of range")]
    [InlineData("""{"ports":[{"port":8080},{"port":8080}]}""", "duplicate port 8080")]
    [InlineData("""{"ports":[{"port":80}],"mode":"x"}""", "port_policy.mode: unknown field (expected ports, restrict_mode)")]
    [InlineData("""{"ports":[{"port":80,"pp":1}]}""", "port_policy.ports[0].pp: must be true or false, not a number")]
    [InlineData("""{"ports":[{"port":80,"protocol":"udp"}]}""", "port_policy.ports[0].protocol: must be \"http\" or \"tcp\", not \"udp\"")]
    [InlineData("""{"restrict_mode":true,""", "malformed JSON: Expected start of a property name or value, but instead reached end of data. LineNumber: 0 | BytePositionInLine: 21.")]
    public async Task BadOverrideIs400AndChangesNothing(string body, string error)
    {
        await RegisterAsync(Registration());
        await Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", OnlySsh);
        string before = (await PortPolicyAsync()).ToJsonString();

        await Admin.ErrorAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", body, HttpStatusCode.BadRequest, error);

        Assert.Equal(before, (await PortPolicyAsync()).ToJsonString());
    }

    [Theory]
    [InlineData("""{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","port_policy":{"ports":[{"port":0}]}}""", "port 0 out of range")]
    [InlineData("""{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","port_policy":{"ports":[{"port":70000}]}}""", "port 70000 out of range")]
    [InlineData("""{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","port_policy":{"ports":[{"port":1},{"port":1}]}}""", "duplicate port 1")]
    [InlineData("""{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","tenant_id":"acme"}""", "tenant acme not found")]
    [InlineData("""{"instance_id":"web-1","app_id":"web","address":"127.0.0.1"}""", "instance_id: \"web-1\" may hold only a-z, 0-9 and '_' ('-' separates the port in host names)")]
    [InlineData("""{"app_id":"web","address":"127.0.0.1"}""", "instance_id: is required")]
    [InlineData("""{"instance_id":"web_1","address":"127.0.0.1"}""", "app_id: is required")]
    [InlineData("""{"instance_id":"web_1","app_id":"web"}""", "address: is required")]
    [InlineData("""{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","extra":1}""", "extra: unknown field")]
    [InlineData("""{"instance_id":"web_1","app_id":["web"],"address":"127.0.0.1"}""", "app_id: must be a string, not an array")]
    [InlineData("", "registration body is required")]
    [InlineData("""{"instance_id":"web_1" "app_id":"web"}""", "malformed JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'. LineNumber: 0 | BytePositionInLine: 23.")]
    public async Task BadRegistrationIs400AndChangesNothing(string body, string error)
    {
        await RegisterAsync(Registration(hash: "h0"));
        string before = (await Admin.OkAsync(HttpMethod.Get, "/api/v1/instances")).ToJsonString();

        await Admin.ErrorAsync(HttpMethod.Post, "/api/v1/instances", body, HttpStatusCode.BadRequest, error);

        Assert.Equal(before, (await Admin.OkAsync(HttpMethod.Get, "/api/v1/instances")).ToJsonString());
    }

    [Fact]
    public async Task OversizedBodyIs413AndChangesNothing()
    {
        await RegisterAsync(Registration());
        string before = (await PortPolicyAsync()).ToJsonString();
        string huge = """{"ports":[],"restrict_mode":false,"pad":" """ + new string('x', 1024 * 1024) + "\"}";

        await Admin.ErrorAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", huge, HttpStatusCode.RequestEntityTooLarge, "body larger than 1048576 bytes");

        Assert.Equal(before, (await PortPolicyAsync()).ToJsonString());
    }

    [Fact]
    public async Task EveryChangeIsInTheRealAuditChainWithTheCaller()
    {
        string caller = "admin-token:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TestNode.AdminToken)))[..8];
        string auditDir = Path.Combine(_node.DataDir, "audit");

        await RegisterAsync(Registration(hash: "h1"));
        await RegisterAsync(Registration(hash: "h2", policy: null));
        await Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/web_1/port-policy", OnlySsh);
        await Admin.OkAsync(HttpMethod.Delete, "/api/v1/instances/web_1/port-policy");
        await Admin.SendAsync(HttpMethod.Delete, "/api/v1/instances/web_1");

        JsonObject register = await AuditFiles.WaitForAsync(auditDir, "admin.instance.register", "web_1");
        JsonObject reregister = await AuditFiles.WaitForAsync(auditDir, "admin.instance.reregister", "web_1");
        JsonObject set = await AuditFiles.WaitForAsync(auditDir, "admin.port_policy.override_set", "web_1");
        JsonObject clear = await AuditFiles.WaitForAsync(auditDir, "admin.port_policy.override_clear", "web_1");
        JsonObject delete = await AuditFiles.WaitForAsync(auditDir, "admin.instance.delete", "web_1");

        foreach (JsonObject entry in (JsonObject[])[register, reregister, set, clear, delete])
        {
            Assert.Equal(caller, (string)entry["details"]!["caller"]!);
            Assert.Equal("change", (string)entry["decision"]!);
            Assert.Equal("default", (string)entry["tenant"]!);
        }

        Assert.Null(register["details"]!["before"]);
        Assert.Equal("h1", (string)reregister["details"]!["before"]!["compose_hash"]!);
        Assert.Equal("none", (string)reregister["details"]!["after"]!["port_policy"]!["source"]!);
        Assert.Equal("admin", (string)set["details"]!["after"]!["port_policy"]!["source"]!);
        Assert.Equal("none", (string)clear["details"]!["after"]!["port_policy"]!["source"]!);
        Assert.Null(delete["details"]!["after"]);
        Assert.True((long)register["seq"]! < (long)delete["seq"]!);
    }
}
