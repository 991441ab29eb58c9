using PolicyGate.Configuration;
using PolicyGate.Core.Policy;
using PolicyGate.Runtime;
using PolicyGate.Store;

namespace PolicyGate.Tests.Store;

/// <summary>The backoff schedule and agent URL rules of the lazy fetch (pure functions).</summary>
public sealed class FetchBackoffTests
{
    [Fact]
    public void BackoffDoublesFromInitialAndStopsAtMax()
    {
        PortPolicyFetchSettings options = PortPolicyFetchSettings.From(new PortPolicyFetchOptions { BackoffInitial = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromSeconds(30) });

        TimeSpan[] delays = Enumerable.Range(0, 8).Select(i => PortPolicyFetchWorker.Backoff(options, i)).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays.Select(d => d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), PortPolicyFetchWorker.Backoff(options, int.MaxValue));
    }

    [Theory]
    [InlineData("10.0.0.5", null, "http://10.0.0.5:8090/info")]
    [InlineData("fd00::5", null, "http://[fd00::5]:8090/info")]
    [InlineData("backend.internal", null, "http://backend.internal:8090/info")]
    [InlineData("10.0.0.5", "https://agent.example:9443/v1/info", "https://agent.example:9443/v1/info")]
    public void AgentUrlWinsElseAddressAgentPortPath(string address, string? agentUrl, string expected)
    {
        InstanceRecord instance = new() { InstanceId = "a1", AppId = "a", Address = address, AgentUrl = agentUrl };

        Assert.Equal(expected, PortPolicyFetchWorker.AgentUri(instance, PortPolicyFetchSettings.From(new PortPolicyFetchOptions())).ToString());
    }
}
