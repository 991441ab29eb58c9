using PolicyGate.Core.Policy;

namespace PolicyGate.Core.Tests.Policy;

public sealed class InstanceRecordDecideTests
{
    private static readonly PortPolicy s_restricted = new([new PortRule(8080, true, "http"), new PortRule(22)], restrictMode: true);
    private static readonly PortPolicy s_onlyTcp = new([new PortRule(5432, false, "tcp")], restrictMode: true);

    private static InstanceRecord Instance(PortPolicy? reported, PortPolicy? admin) => new()
    {
        InstanceId = "i1",
        AppId = "app",
        Address = "127.0.0.1",
        InstanceReported = reported,
        AdminOverride = admin,
    };

    [Fact]
    public void RestrictedListAllowsOnlyListedPortsWithTheirSettings()
    {
        InstanceRecord instance = Instance(s_restricted, null);

        Assert.Equal(PortDecision.Allow(true, "http"), instance.Decide(8080));
        Assert.Equal(PortDecision.Allow(false, null), instance.Decide(22));
        Assert.Equal(PortDecision.Deny("port_policy"), instance.Decide(8081));
        Assert.True(instance.SendProxyHeader(8080));
        Assert.False(instance.SendProxyHeader(22));
        Assert.False(instance.SendProxyHeader(8081));
    }

    [Fact]
    public void UnrestrictedAllowsEveryPortKeepingListedSettings()
    {
        InstanceRecord instance = Instance(new PortPolicy([new PortRule(9000, true)], restrictMode: false), null);

        Assert.Equal(PortDecision.Allow(false, null), instance.Decide(1));
        Assert.Equal(PortDecision.Allow(false, null), instance.Decide(65535));
        Assert.Equal(PortDecision.Allow(true, null), instance.Decide(9000));
    }

    [Fact]
    public void NoEffectivePolicyIsUnknownAndNeverSendsAHeader()
    {
        InstanceRecord instance = Instance(null, null);

        Assert.Equal(PortDecisionKind.Unknown, instance.Decide(8080).Kind);
        Assert.False(instance.Decide(8080).IsAllowed);
        Assert.Equal("none", instance.EffectiveSource);
    }

    [Fact]
    public void AdminOverrideWinsOverReported()
    {
        InstanceRecord instance = Instance(s_restricted, s_onlyTcp);

        Assert.Equal("admin", instance.EffectiveSource);
        Assert.Equal(PortDecision.Deny("port_policy"), instance.Decide(8080));
        Assert.Equal(PortDecision.Allow(false, "tcp"), instance.Decide(5432));
    }

    [Fact]
    public void AdminOverrideAloneIsEffective()
    {
        InstanceRecord instance = Instance(null, s_onlyTcp);

        Assert.Equal("admin", instance.EffectiveSource);
        Assert.Equal(PortDecisionKind.Allow, instance.Decide(5432).Kind);
    }

    [Fact]
    public void InstanceViewJsonHasTheDesignShape()
    {
        InstanceRecord instance = Instance(s_restricted, null);

        string json = InstanceRecordJson.PortPolicyView(instance).ToJsonString();

        Assert.Equal(
            """{"effective":{"ports":[{"port":22,"pp":false,"protocol":null},{"port":8080,"pp":true,"protocol":"http"}],"restrict_mode":true},"source":"instance","instance_reported":{"ports":[{"port":22,"pp":false,"protocol":null},{"port":8080,"pp":true,"protocol":"http"}],"restrict_mode":true},"admin_override":null}""",
            json);
    }
}
