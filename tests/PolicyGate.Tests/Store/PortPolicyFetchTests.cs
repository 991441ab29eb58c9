using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Configuration;
using PolicyGate.Core.Policy;
using PolicyGate.Store;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Store;

/// <summary>
/// The lazy fetch worker (DESIGN §5) against a real loopback HTTP agent, through a real node. The node gets a manual
/// clock (replacing TimeProvider) so backoff delays are asserted exactly and no test sleeps through them.
/// </summary>
public sealed class PortPolicyFetchTests : IAsyncDisposable
{
    private const string Restricted = """{"ports":[{"port":8080,"pp":true,"protocol":"http"}],"restrict_mode":true}""";
    private static readonly TimeSpan s_longest = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _clock = new();
    private TestNode? _node;

    private TestNode Node => _node!;

    private async Task<TestNode> StartAsync(Action<PortPolicyFetchOptions>? configure = null)
    {
        PolicyGateOptions options = TestNode.CreateOptions(o =>
        {
            o.PortPolicyFetch.BackoffInitial = TimeSpan.FromSeconds(1);
            o.PortPolicyFetch.BackoffMax = TimeSpan.FromSeconds(3);
            o.PortPolicyFetch.MaxRetries = 5;
            o.PortPolicyFetch.Timeout = TimeSpan.FromSeconds(60);
            configure?.Invoke(o.PortPolicyFetch);
        });
        _node = await TestNode.StartAsync(options, services => services.AddSingleton<TimeProvider>(_clock));
        return _node;
    }

    private async Task RegisterAsync(string? agentUrl, string hash = "h1")
    {
        JsonObject body = new() { ["instance_id"] = "web_1", ["app_id"] = "web", ["address"] = "127.0.0.1", ["agent_url"] = agentUrl, ["compose_hash"] = hash };
        await Node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", body.ToJsonString());
    }

    private void RequestFetch() => Node.Service<IInstanceDirectory>().RequestPolicyFetch("web_1");

    private PortPolicyFetchQueue Queue => Node.Service<PortPolicyFetchQueue>();

    private Task<JsonNode> PortPolicyAsync() => Node.Admin.OkAsync(HttpMethod.Get, "/api/v1/instances/web_1/port-policy");

    /// <summary>Backoff delays the worker scheduled so far (timeouts are 60 s and the resync 10 s, so shorter timers are backoffs).</summary>
    private TimeSpan[] Backoffs() => _clock.Scheduled.Where(d => d < s_longest && d > TimeSpan.Zero).ToArray();

    private async Task WaitForBackoffsAsync(int count)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (Backoffs().Length < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Backoffs().Length} backoffs scheduled, expected {count}");
            await Task.Delay(20);
        }
    }

    private async Task WaitUntilIdleAsync()
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (Queue.IsPending("web_1"))
        {
            Assert.True(DateTime.UtcNow < deadline, "fetch still pending");
            await Task.Delay(20);
        }
    }

    private async Task<JsonNode> WaitForSourceAsync(string source)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            JsonNode view = await PortPolicyAsync();
            if ((string)view["source"]! == source)
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, "port policy source stayed " + view["source"]);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task FetchesFromAgentUrlStoresAuditsAndAllows()
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(200, $$"""{"name":"web","port_policy":{{Restricted}}}"""));
        await StartAsync();
        await RegisterAsync(agent.Url);
        Assert.Equal(PortDecisionKind.Unknown, Node.Service<IInstanceDirectory>().Current.ResolveCandidates("web_1", _clock.GetUtcNow(), TimeSpan.FromHours(1), 3)[0].Decide(8080).Kind);

        RequestFetch();

        JsonNode view = await WaitForSourceAsync("instance");
        Assert.Equal("""{"ports":[{"port":8080,"pp":true,"protocol":"http"}],"restrict_mode":true}""", view["effective"]!.ToJsonString());
        InstanceRecord record = Node.Service<IInstanceDirectory>().Current.ResolveCandidates("web_1", _clock.GetUtcNow(), TimeSpan.FromHours(1), 3)[0];
        Assert.Equal(PortDecision.Allow(true, "http"), record.Decide(8080));
        Assert.Equal(PortDecision.Deny("port_policy"), record.Decide(8081));
        Assert.Equal(["GET /info HTTP/1.1"], agent.RequestLines);
        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(Node.DataDir, "audit"), "instance.port_policy.fetched", "web_1");
        Assert.Equal(PortPolicyFetchWorker.Caller, (string)audit["details"]!["caller"]!);
        Assert.Equal("h1", (string)audit["details"]!["after"]!["compose_hash"]!);
        Assert.Equal("instance", (string)audit["details"]!["after"]!["port_policy"]!["source"]!);
        Assert.Equal("none", (string)audit["details"]!["before"]!["port_policy"]!["source"]!);
    }

    [Fact]
    public async Task WithoutAgentUrlAsksAddressAgentPortAndPath()
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(200, $$"""{"port_policy":{{Restricted}}}"""));
        await StartAsync(f =>
        {
            f.AgentPort = agent.Port;
            f.Path = "/agent/info";
        });
        await RegisterAsync(null);

        RequestFetch();

        await WaitForSourceAsync("instance");
        Assert.Equal(["GET /agent/info HTTP/1.1"], agent.RequestLines);
    }

    [Fact]
    public async Task AnswerWithoutPortPolicyIsOpen()
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(200, """{"version":"1.2"}"""));
        await StartAsync();
        await RegisterAsync(agent.Url);

        RequestFetch();

        JsonNode view = await WaitForSourceAsync("instance");
        Assert.Equal("""{"ports":[],"restrict_mode":false}""", view["effective"]!.ToJsonString());
    }

    [Fact]
    public async Task TransientErrorsBackOffDoublingToTheCapThenSucceed()
    {
        await using LoopbackAgent agent = new(hit => hit <= 3 ? new AgentReply(503, "busy") : new AgentReply(200, $$"""{"port_policy":{{Restricted}}}"""));
        await StartAsync();
        await RegisterAsync(agent.Url);

        RequestFetch();
        await agent.WaitForHitsAsync(1);
        await WaitForBackoffsAsync(1);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        // The retry waits on the manual clock: its timer still has 1 ms to go, so no second attempt can have started.
        Assert.Contains(TimeSpan.FromMilliseconds(1), _clock.PendingDelays());
        Assert.Equal(1, agent.Hits);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await agent.WaitForHitsAsync(2);
        await WaitForBackoffsAsync(2);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await agent.WaitForHitsAsync(3);
        await WaitForBackoffsAsync(3);
        _clock.Advance(TimeSpan.FromSeconds(3));
        await agent.WaitForHitsAsync(4);

        await WaitForSourceAsync("instance");
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], Backoffs());
    }

    [Fact]
    public async Task DroppedConnectionAndTimeoutAreTransient()
    {
        // Phase 1 drops the connection (HttpClient may itself retry once), phase 2 never answers, phase 3 answers.
        int phase = 1;
        int heldHits = 0;
        await using LoopbackAgent agent = new(_ => Volatile.Read(ref phase) switch
        {
            1 => null,
            2 => Held(ref heldHits),
            _ => new AgentReply(200, $$"""{"port_policy":{{Restricted}}}"""),
        });
        await StartAsync();
        await RegisterAsync(agent.Url);

        RequestFetch();
        await WaitForBackoffsAsync(1);
        Volatile.Write(ref phase, 2);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => Volatile.Read(ref heldHits) == 1, "a held request");
        _clock.Advance(TimeSpan.FromSeconds(60));
        await WaitForBackoffsAsync(2);
        Volatile.Write(ref phase, 3);
        _clock.Advance(TimeSpan.FromSeconds(2));

        JsonNode view = await WaitForSourceAsync("instance");
        Assert.True((bool)view["effective"]!["restrict_mode"]!);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], Backoffs());
    }

    private static AgentReply Held(ref int counter)
    {
        Interlocked.Increment(ref counter);
        return new AgentReply(200, "{}", Hold: true);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task RetriesStopAfterMaxRetriesAndCacheNothing()
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(500, "down"));
        await StartAsync(f => f.MaxRetries = 2);
        await RegisterAsync(agent.Url);

        RequestFetch();
        await agent.WaitForHitsAsync(1);
        await WaitForBackoffsAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await agent.WaitForHitsAsync(2);
        await WaitForBackoffsAsync(2);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await agent.WaitForHitsAsync(3);
        await WaitUntilIdleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(200);

        Assert.Equal(3, agent.Hits);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], Backoffs());
        Assert.Equal("none", (string)(await PortPolicyAsync())["source"]!);
        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(Node.DataDir, "audit"), "instance.port_policy.fetch_failed", "web_1");
        Assert.Equal(3, (int)audit["details"]!["attempts"]!);
        Assert.Equal("agent answered 500", (string)audit["details"]!["error"]!);
    }

    [Theory]
    [InlineData(404, "{}", "agent answered 404")]
    [InlineData(403, "{}", "agent answered 403")]
    [InlineData(200, "not json", "agent answer: malformed JSON: 'not json' is an invalid JSON literal. Expected the literal 'null'. LineNumber: 0 | BytePositionInLine: 1.")]
    [InlineData(200, "[1]", "agent answer: must be an object, not an array")]
    [InlineData(200, """{"port_policy":{"ports":[{"port":0}]}}""", "agent answer: port 0 out of range")]
    [InlineData(200, """{"port_policy":{"ports":[{"port":1},{"port":1}]}}""", "agent answer: duplicate port 1")]
    public async Task PermanentErrorsStopAtOnceAndCacheNothing(int status, string body, string error)
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(status, body));
        await StartAsync();
        await RegisterAsync(agent.Url);

        RequestFetch();
        await agent.WaitForHitsAsync(1);
        await WaitUntilIdleAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(200);

        Assert.Equal(1, agent.Hits);
        Assert.Empty(Backoffs());
        Assert.Equal("""{"effective":null,"source":"none","instance_reported":null,"admin_override":null}""", (await PortPolicyAsync()).ToJsonString());
        JsonObject audit = await AuditFiles.WaitForAsync(Path.Combine(Node.DataDir, "audit"), "instance.port_policy.fetch_failed", "web_1");
        Assert.Equal(error, (string)audit["details"]!["error"]!);
    }

    [Fact]
    public async Task OneFetchPerInstanceAtATime()
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(200, $$"""{"port_policy":{{Restricted}}}""", Hold: true));
        await StartAsync();
        await RegisterAsync(agent.Url);

        RequestFetch();
        await agent.WaitForHitsAsync(1);
        for (int i = 0; i < 5; i++)
        {
            RequestFetch();
            Assert.False(Queue.Request("web_1"));
        }

        await Task.Delay(300);
        Assert.Equal(1, agent.Hits);
        agent.Release();

        await WaitForSourceAsync("instance");
        await WaitUntilIdleAsync();
        Assert.Equal(1, agent.Hits);
    }

    [Fact]
    public async Task FetchedPolicyOfAnOldComposeHashIsDropped()
    {
        await using LoopbackAgent agent = new(_ => new AgentReply(200, $$"""{"port_policy":{{Restricted}}}""", Hold: true));
        await StartAsync();
        await RegisterAsync(agent.Url, hash: "h1");
        RequestFetch();
        await agent.WaitForHitsAsync(1);

        await RegisterAsync(agent.Url, hash: "h2");
        agent.Release();
        await WaitUntilIdleAsync();

        Assert.Equal("none", (string)(await PortPolicyAsync())["source"]!);
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
