using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Egress;

public sealed class EgressSessionTests
{
    private static string SessionBody(string id, string container, int? port = null, int ttl = 60, bool allowAll = false) =>
        new JsonObject
        {
            ["session_id"] = id,
            ["container"] = container,
            ["network_rules"] = port is null ? new JsonArray() : new JsonArray(new JsonObject { ["destination"] = "127.0.0.1", ["port"] = port }),
            ["allow_all"] = allowAll,
            ["ttl_seconds"] = ttl,
        }.ToJsonString();

    [Fact]
    public async Task Session_lifecycle_through_curl()
    {
        await using LoopbackBackend https = LoopbackBackend.Https();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        string url = $"https://127.0.0.1:{https.Port}/hello";

        Curl.Result denied = await Curl.RunAsync(node.Proxy, url, "agent-a");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.EndsWith("403 000", denied.Stdout);
        Assert.Equal("default:strict", (await node.ConnectAsync("agent-a", $"127.0.0.1:{https.Port}")).Reason);

        (int status, JsonNode? body) = await node.PostAsync("/api/v1/sessions", SessionBody("s1", "agent-a", https.Port));
        Assert.Equal(200, status);
        Assert.Equal(("s1", 1), (body!["session_id"]!.GetValue<string>(), body["rules_created"]!.GetValue<int>()));
        string firstExpiry = body["expires_at"]!.GetValue<string>();

        Curl.Result allowed = await Curl.RunAsync(node.Proxy, url, "agent-a");
        Assert.Equal(0, allowed.ExitCode);
        Assert.StartsWith("tls\nGET /hello HTTP/1.1", allowed.Stdout);
        Assert.EndsWith("200 200", allowed.Stdout);
        Assert.Equal("default:strict", (await node.ConnectAsync("agent-b", $"127.0.0.1:{https.Port}")).Reason);

        // A newer session of the same container without rules supersedes s1's rules.
        Assert.Equal(200, (await node.PostAsync("/api/v1/sessions", SessionBody("s2", "agent-a"))).Status);
        Assert.Equal("default:strict", (await node.ConnectAsync("agent-a", $"127.0.0.1:{https.Port}")).Reason);
        (status, body) = await node.SendAsync(HttpMethod.Delete, "/api/v1/sessions/s2");
        Assert.True(body!["deleted"]!.GetValue<bool>());
        Assert.EndsWith("200 200", (await Curl.RunAsync(node.Proxy, url, "agent-a")).Stdout);

        await Task.Delay(20);
        (status, body) = await node.PostAsync("/api/v1/sessions/s1/heartbeat", "{}");
        Assert.Equal(200, status);
        Assert.True(string.CompareOrdinal(body!["expires_at"]!.GetValue<string>(), firstExpiry) > 0);

        (status, body) = await node.SendAsync(HttpMethod.Delete, "/api/v1/sessions/s1");
        Assert.Equal((200, "s1", true), (status, body!["session_id"]!.GetValue<string>(), body["deleted"]!.GetValue<bool>()));
        Assert.Equal("default:strict", (await node.ConnectAsync("agent-a", $"127.0.0.1:{https.Port}")).Reason);
        (_, body) = await node.SendAsync(HttpMethod.Delete, "/api/v1/sessions/s1");
        Assert.False(body!["deleted"]!.GetValue<bool>());
        (status, body) = await node.PostAsync("/api/v1/sessions/s1/heartbeat", "{}");
        Assert.Equal((404, "session not found or expired"), (status, body!["error"]!.GetValue<string>()));
        Assert.Contains(node.Audit.Events, e => e.Kind == "admin.egress.session.upsert" && e.Details!["caller"] is not null);
        Assert.Contains(node.Audit.Events, e => e.Kind == "egress.deny" && e.Subject == "agent-a" && e.Reason == "default:strict");
    }

    [Fact]
    public async Task Upsert_replaces_rules_keeps_created_at_and_ttl_is_clamped()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        Assert.Equal(200, (await node.PostAsync("/api/v1/sessions", SessionBody("u1", "agent-u", 1111, ttl: 0))).Status);
        JsonNode list = (await node.GetAsync("/api/v1/sessions")).Body!;
        string created = list["sessions"]![0]!["created_at"]!.GetValue<string>();
        Assert.Equal(900, list["sessions"]![0]!["ttl_seconds"]!.GetValue<int>());
        await Task.Delay(20);
        (int status, JsonNode? body) = await node.PostAsync("/api/v1/sessions", SessionBody("u1", "agent-u", 2222, ttl: 99999));
        Assert.Equal((200, 1), (status, body!["rules_created"]!.GetValue<int>()));
        list = (await node.GetAsync("/api/v1/sessions")).Body!;
        Assert.Equal((created, 3600), (list["sessions"]![0]!["created_at"]!.GetValue<string>(), list["sessions"]![0]!["ttl_seconds"]!.GetValue<int>()));
        JsonArray rules = (JsonArray)(await node.GetAsync("/api/v1/egress/rules")).Body!["rules"]!;
        JsonNode sessionRule = Assert.Single(rules, r => r!["source"]!.GetValue<string>() == "session")!;
        Assert.Equal(("2222", "u1"), (sessionRule["port"]!.GetValue<string>(), sessionRule["session_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Expired_session_is_denied_and_swept()
    {
        await using LoopbackBackend echo = LoopbackBackend.Echo();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        Assert.Equal(200, (await node.PostAsync("/api/v1/sessions", SessionBody("short", "agent-e", echo.Port, ttl: 2))).Status);
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
            (await node.ConnectAsync("agent-e", $"127.0.0.1:{echo.Port}")).Reason == "default:strict"));
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
        {
            JsonNode rules = (await node.GetAsync("/api/v1/egress/rules")).Body!;
            JsonNode sessions = (await node.GetAsync("/api/v1/sessions")).Body!;
            return ((JsonArray)rules["rules"]!).Count == 0 && ((JsonArray)sessions["sessions"]!).Count == 0;
        }));
        (int status, JsonNode? body) = await node.PostAsync("/api/v1/sessions/short/heartbeat", "{}");
        Assert.Equal((404, "session not found or expired"), (status, body!["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Heartbeat_keeps_a_short_session_alive()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        Assert.Equal(200, (await node.PostAsync("/api/v1/sessions", SessionBody("hb", "agent-h", http.Port, ttl: 3))).Status);
        for (int i = 0; i < 5; i++)
        {
            await Task.Delay(1000);
            Assert.Equal(200, (await node.PostAsync("/api/v1/sessions/hb/heartbeat", "{}")).Status);
        }

        Curl.Result result = await Curl.RunAsync(node.Proxy, $"http://127.0.0.1:{http.Port}/after", "agent-h");
        Assert.EndsWith("000 200", result.Stdout);
    }

    [Fact]
    public async Task Allow_all_is_scoped_to_its_container_and_yields_to_global_deny()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        Assert.Equal(200, (await node.PostAsync("/api/v1/sessions", SessionBody("all", "agent-a", allowAll: true))).Status);
        string target = $"127.0.0.1:{http.Port}";

        // allow_all decides for agent-a (then the private-address guard stops an unnamed loopback target); agent-b stays strict.
        Assert.Equal("allow_all:private_address", (await node.ConnectAsync("agent-a", target)).Reason);
        Assert.Equal("default:strict", (await node.ConnectAsync("agent-b", target)).Reason);

        (int status, JsonNode? rule) = await node.PostAsync("/api/v1/egress/rules",
            $$"""{"container":"*","destination":"127.0.0.1","port":"{{http.Port}}","action":"deny"}""");
        Assert.Equal(200, status);
        ProxyResponse denied = await node.ConnectAsync("agent-a", target);
        Assert.Equal((403, "global:" + rule!["id"]!.GetValue<string>()), (denied.Status, denied.Reason));
        Assert.Equal("host not in allowlist (policygate egress policy)", denied.Body);
    }

    [Theory]
    [InlineData("{}", "session_id is required")]
    [InlineData("""{"session_id":"a b","container":"c"}""", "session_id must be 1..128 characters of letters, digits, '-', '_', '.', ':'")]
    [InlineData("""{"session_id":"x"}""", "container is required")]
    [InlineData("""{"session_id":"x","container":"c","ttl_seconds":"ten"}""", "ttl_seconds must be an integer")]
    [InlineData("""{"session_id":"x","container":"c","allow_all":"yes"}""", "allow_all must be true or false")]
    [InlineData("""{"session_id":"x","container":"c","network_rules":{}}""", "network_rules must be an array")]
    [InlineData("""{"session_id":"x","container":"c","network_rules":[{"port":"443"}]}""", "network_rules[0].destination is required")]
    [InlineData("""{"session_id":"x","container":"c","network_rules":[{"destination":"a.com","port":"70000"}]}""", "network_rules[0].port: port 70000 out of range")]
    [InlineData("""{"session_id":"x","container":"c","network_rules":[{"destination":"a.com","action":"maybe"}]}""", "network_rules[0].action must be \"allow\" or \"deny\"")]
    [InlineData("""{"session_id":"x","container":"c","network_rules":[{"destination":"10.0.0.0/99"}]}""", "network_rules[0].destination '10.0.0.0/99' is not a valid CIDR")]
    [InlineData("not json", "body is not valid JSON")]
    public async Task Invalid_session_bodies_are_400_and_change_nothing(string json, string error)
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        (int status, JsonNode? body) = await node.PostAsync("/api/v1/sessions", json);
        Assert.Equal((400, error), (status, body!["error"]!.GetValue<string>()));
        Assert.Empty((JsonArray)(await node.GetAsync("/api/v1/sessions")).Body!["sessions"]!);
        Assert.Empty((JsonArray)(await node.GetAsync("/api/v1/egress/rules")).Body!["rules"]!);
    }
}
