using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Egress;

public sealed class EgressModeTests
{
    [Fact]
    public async Task Learn_then_enforce_then_strict_round_trip()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        Assert.Equal("strict", (await node.GetAsync("/api/v1/egress/containers/agent-l/mode")).Body!["mode"]!.GetValue<string>());
        (int status, JsonNode? body) = await node.SendAsync(HttpMethod.Put, "/api/v1/egress/containers/agent-l/mode", """{"mode":"learn"}""");
        Assert.Equal((200, "learn"), (status, body!["mode"]!.GetValue<string>()));

        // Learn allows what no rule matches; a loopback target is still stopped by the private-address guard, but it is learned.
        string url = $"http://127.0.0.1:{http.Port}/learn";
        Curl.Result learning = await Curl.RunAsync(node.Proxy, url, "agent-l");
        Assert.EndsWith("000 403", learning.Stdout);
        Assert.StartsWith("host not in allowlist (policygate egress policy)", learning.Stdout);
        Assert.Equal("learn:private_address", (await node.RawAsync(
            $"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nProxy-Authorization: Basic {EgressTestNode.Basic("agent-l")}\r\n\r\n")).Reason);
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
        {
            JsonArray learned = (JsonArray)(await node.GetAsync("/api/v1/egress/learned")).Body!["learned"]!;
            return learned.Any(l => l!["container"]!.GetValue<string>() == "agent-l" && l["host"]!.GetValue<string>() == "127.0.0.1"
                && l["port"]!.GetValue<int>() == http.Port && l["count"]!.GetValue<long>() >= 2);
        }));

        (status, body) = await node.PostAsync("/api/v1/egress/enforce", """{"container":"agent-l"}""");
        Assert.Equal((200, "enforcing", 1), (status, body!["status"]!.GetValue<string>(), body["promoted"]!.GetValue<int>()));
        Assert.Equal("strict", (await node.GetAsync("/api/v1/egress/containers/agent-l/mode")).Body!["mode"]!.GetValue<string>());
        Assert.Empty((JsonArray)(await node.GetAsync("/api/v1/egress/learned")).Body!["learned"]!);

        Curl.Result enforced = await Curl.RunAsync(node.Proxy, url, "agent-l");
        Assert.EndsWith("000 200", enforced.Stdout);
        Assert.StartsWith("plain\nGET /learn HTTP/1.1", enforced.Stdout);

        // Strict now: something new is denied and recorded as pending (deduplicated).
        string other = $"127.0.0.1:{http.Port + 1}";
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("default:strict", (await node.ConnectAsync("agent-l", other)).Reason);
        }

        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
        {
            JsonArray pending = (JsonArray)(await node.GetAsync("/api/v1/egress/pending")).Body!["pending"]!;
            return pending.Count == 1 && pending[0]!["count"]!.GetValue<long>() == 3;
        }));
    }

    [Fact]
    public async Task Reload_applies_default_mode_and_builtin_loopback()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        Assert.Equal("default:strict", (await node.ConnectAsync("agent-r", "x.example.test:443")).Reason);
        PolicyGate.Configuration.PolicyGateOptions reloaded = PolicyGate.Tests.Infrastructure.TestNode.CreateOptions(o => o.Egress.DefaultMode = "learn");
        PolicyGate.Egress.EgressStore store = node.Node.Service<PolicyGate.Egress.EgressStore>();
        await store.ReloadAsync(PolicyGate.Runtime.RuntimeConfig.Compile(reloaded), CancellationToken.None);
        Assert.Equal("learn", (await node.GetAsync("/api/v1/egress/containers/agent-r/mode")).Body!["mode"]!.GetValue<string>());
        Assert.Equal(3, ((JsonArray)(await node.GetAsync("/api/v1/egress/rules")).Body!["rules"]!).Count);
        reloaded.Egress.DefaultMode = "open";
        Assert.Contains("egress.default_mode: 'open' must be strict or learn",
            Assert.Throws<PolicyGate.Configuration.ConfigException>(() => PolicyGate.Runtime.RuntimeConfig.Compile(reloaded)).Message, StringComparison.Ordinal);
        Assert.Equal("learn", (await node.GetAsync("/api/v1/egress/containers/agent-r/mode")).Body!["mode"]!.GetValue<string>());
        Directory.Delete(reloaded.BaseDirectory, recursive: true);
    }

    [Fact]
    public async Task Explicit_deny_applies_in_learn_mode()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync(defaultMode: "learn");
        (_, JsonNode? rule) = await node.PostAsync("/api/v1/egress/rules", """{"container":"*","destination":"**.blocked.test","action":"deny"}""");
        Assert.Equal("global:" + rule!["id"]!.GetValue<string>(), (await node.ConnectAsync("agent-x", "api.blocked.test:443")).Reason);
    }

    [Fact]
    public async Task Approve_with_and_without_port_and_deny()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync();
        string target = $"127.0.0.1:{http.Port}";
        Assert.Equal(403, (await node.ConnectAsync("agent-p", target)).Status);
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
            ((JsonArray)(await node.GetAsync("/api/v1/egress/pending")).Body!["pending"]!).Count == 1));

        (int status, JsonNode? rule) = await node.PostAsync("/api/v1/egress/approve", $$"""{"container":"agent-p","destination":"{{target}}"}""");
        Assert.Equal((200, http.Port.ToString(), "allow", "global"),
            (status, rule!["port"]!.GetValue<string>(), rule["action"]!.GetValue<string>(), rule["source"]!.GetValue<string>()));
        Assert.Empty((JsonArray)(await node.GetAsync("/api/v1/egress/pending")).Body!["pending"]!);
        Assert.EndsWith("000 200", (await Curl.RunAsync(node.Proxy, $"http://{target}/ok", "agent-p")).Stdout);

        (status, rule) = await node.PostAsync("/api/v1/egress/approve", """{"container":"agent-q","destination":"api.example.test"}""");
        Assert.Equal((200, "443", "api.example.test"), (status, rule!["port"]!.GetValue<string>(), rule["destination"]!.GetValue<string>()));

        // deny at the same specificity as the approval wins.
        (status, rule) = await node.PostAsync("/api/v1/egress/deny", $$"""{"container":"agent-p","destination":"127.0.0.1","port":{{http.Port}}}""");
        Assert.Equal((200, "deny"), (status, rule!["action"]!.GetValue<string>()));
        Assert.Equal("global:" + rule["id"]!.GetValue<string>(), (await node.ConnectAsync("agent-p", target)).Reason);

        (status, JsonNode? error) = await node.PostAsync("/api/v1/egress/approve", """{"container":"agent-p","destination":"a.test:80","port":81}""");
        Assert.Equal((400, "port 81 conflicts with destination a.test:80"), (status, error!["error"]!.GetValue<string>()));
        (status, error) = await node.PostAsync("/api/v1/egress/approve", """{"container":"agent-p","destination":"a.test:99999"}""");
        Assert.Equal((400, "destination: port 99999 out of range"), (status, error!["error"]!.GetValue<string>()));
        Assert.Contains(node.Audit.Events, e => e.Kind == "admin.egress.approve");
        Assert.Contains(node.Audit.Events, e => e.Kind == "admin.egress.deny");
    }

    [Fact]
    public async Task Rules_api_validates_lists_and_deletes()
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync(builtinLoopback: true);
        JsonArray rules = (JsonArray)(await node.GetAsync("/api/v1/egress/rules")).Body!["rules"]!;
        Assert.Equal(3, rules.Count(r => r!["source"]!.GetValue<string>() == "builtin"));
        (int status, JsonNode? body) = await node.PostAsync("/api/v1/egress/rules", """{"container":"web-[","destination":"a.test"}""");
        Assert.Equal((400, "container pattern 'web-[' has an unclosed or empty ["), (status, body!["error"]!.GetValue<string>()));
        (status, body) = await node.PostAsync("/api/v1/egress/rules", """{"container":"web","destination":"a.test","expires_at":"2000-01-01T00:00:00Z"}""");
        Assert.Equal((400, "expires_at is in the past"), (status, body!["error"]!.GetValue<string>()));
        (status, body) = await node.SendAsync(HttpMethod.Put, "/api/v1/egress/containers/web/mode", """{"mode":"open"}""");
        Assert.Equal((400, "mode must be \"learn\" or \"strict\""), (status, body!["error"]!.GetValue<string>()));

        (status, body) = await node.PostAsync("/api/v1/egress/rules",
            """{"container":"web-*","destination":"*.Example.COM","port":"80,443","action":"allow","notes":"tmp","expires_at":"2099-01-01T00:00:00Z"}""");
        Assert.Equal(200, status);
        string id = body!["id"]!.GetValue<string>();
        Assert.Equal(("*.example.com", "80,443", "2099-01-01T00:00:00.000Z"),
            (body["destination"]!.GetValue<string>(), body["port"]!.GetValue<string>(), body["expires_at"]!.GetValue<string>()));
        (status, body) = await node.SendAsync(HttpMethod.Delete, "/api/v1/egress/rules/" + id);
        Assert.Equal((200, true), (status, body!["deleted"]!.GetValue<bool>()));
        (status, body) = await node.SendAsync(HttpMethod.Delete, "/api/v1/egress/rules/" + id);
        Assert.Equal((404, $"rule {id} not found"), (status, body!["error"]!.GetValue<string>()));
        (status, _) = await node.SendAsync(HttpMethod.Delete, "/api/v1/egress/rules/builtin-localhost");
        Assert.Equal(409, status);
    }
}
