using System.Net;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Core.Tests.Policy.Egress;

public sealed class EgressRuleSetTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly EgressCaller s_web = new("web-1", "web");

    private static EgressRule Rule(string id, string container, string destination, string port, EgressAction action, string? session = null,
        DateTimeOffset? expires = null) => new()
        {
            Id = id, Container = container, Destination = destination, Port = port, Action = action, SessionId = session, ExpiresAt = expires,
        };

    private static EgressSession Session(string id, string container, int createdOffset, long seq = 0, bool allowAll = false, int ttl = 600) => new()
    {
        SessionId = id, Container = container, AllowAll = allowAll, CreatedAt = s_now.AddSeconds(createdOffset), ExpiresAt = s_now.AddSeconds(ttl), Sequence = seq,
    };

    private static EgressRuleSet Set(IEnumerable<EgressRule> rules, IEnumerable<EgressSession>? sessions = null, EgressMode mode = EgressMode.Strict,
        bool loopback = true, Dictionary<string, EgressMode>? modes = null) =>
        new(rules, sessions ?? [], modes ?? [], mode, loopback);

    private static EgressDecision Decide(EgressRuleSet set, string host, int port = 443, EgressCaller? caller = null)
    {
        IPAddress.TryParse(host, out IPAddress? ip);
        return set.Decide(caller ?? s_web, host, ip, port, s_now);
    }

    [Theory]
    [InlineData("*", "*", "*", 0)]
    [InlineData("web-1", "*", "*", 200)]
    [InlineData("web-*", "*", "*", 100)]
    [InlineData("*", "*.example.com", "*", 10)]
    [InlineData("*", "**.example.com", "*", 10)]
    [InlineData("*", "10.0.0.0/8", "*", 20)]
    [InlineData("*", "*", "443", 1)]
    [InlineData("web-1", "api.example.com", "443", 221)]
    public void Specificity_values(string container, string destination, string port, int expected)
    {
        CompiledEgressRule rule = CompiledEgressRule.TryCompile(Rule("r", container, destination, port, EgressAction.Allow))!;
        Assert.Equal(expected, rule.Specificity);
    }

    [Fact]
    public void Global_deny_beats_session_allow()
    {
        EgressRuleSet set = Set(
            [Rule("g1", "*", "api.example.com", "*", EgressAction.Deny), Rule("s1", "web-1", "api.example.com", "443", EgressAction.Allow, "sess")],
            [Session("sess", "web-1", 0)]);
        EgressDecision d = Decide(set, "api.example.com");
        Assert.Equal((EgressAction.Deny, EgressLayers.Global, "g1"), (d.Action, d.Layer, d.RuleId));
        Assert.Equal("global:g1", d.ReasonHeader);
    }

    [Fact]
    public void Specific_allow_beats_broad_deny_in_same_layer()
    {
        EgressRuleSet set = Set([Rule("deny-all", "*", "**.example.com", "*", EgressAction.Deny), Rule("ok", "web-1", "api.example.com", "443", EgressAction.Allow)]);
        Assert.Equal("ok", Decide(set, "api.example.com").RuleId);
        Assert.Equal("deny-all", Decide(set, "other.example.com").RuleId);
        Assert.Equal(EgressAction.Deny, Decide(set, "example.com").Action);
    }

    [Fact]
    public void Equal_specificity_deny_wins()
    {
        EgressRuleSet set = Set([Rule("a", "*", "api.example.com", "*", EgressAction.Allow), Rule("z", "*", "api.example.com", "*", EgressAction.Deny)]);
        EgressDecision d = Decide(set, "api.example.com");
        Assert.Equal((EgressAction.Deny, "z"), (d.Action, d.RuleId));
    }

    [Fact]
    public void Session_rules_count_only_for_newest_live_session()
    {
        EgressRule rule = Rule("s-old", "web-1", "api.example.com", "*", EgressAction.Allow, "old");
        Assert.Equal(EgressLayers.Session, Decide(Set([rule], [Session("old", "web-1", 0)]), "api.example.com").Layer);
        EgressRuleSet superseded = Set([rule], [Session("old", "web-1", 0), Session("new", "web-1", 5)]);
        Assert.Equal((EgressAction.Deny, EgressLayers.Default), (Decide(superseded, "api.example.com").Action, Decide(superseded, "api.example.com").Layer));
        EgressRuleSet tieLaterInsert = Set([rule], [Session("old", "web-1", 0, seq: 2), Session("new", "web-1", 0, seq: 1)]);
        Assert.Equal(EgressLayers.Session, Decide(tieLaterInsert, "api.example.com").Layer);
        EgressRuleSet newerExpired = Set([rule], [Session("old", "web-1", 0), Session("new", "web-1", 5, ttl: -1)]);
        Assert.Equal(EgressLayers.Session, Decide(newerExpired, "api.example.com").Layer);
        EgressRuleSet otherContainer = Set([rule], [Session("old", "web-1", 0)]);
        Assert.Equal(EgressLayers.Default, Decide(otherContainer, "api.example.com", caller: new EgressCaller("db-1", "db")).Layer);
    }

    [Fact]
    public void Expired_rules_do_not_match()
    {
        EgressRuleSet set = Set([Rule("t", "*", "api.example.com", "*", EgressAction.Allow, expires: s_now.AddSeconds(-1))]);
        Assert.Equal(EgressLayers.Default, Decide(set, "api.example.com").Layer);
        EgressRuleSet live = Set([Rule("t", "*", "api.example.com", "*", EgressAction.Allow, expires: s_now.AddSeconds(1))]);
        Assert.Equal("t", Decide(live, "api.example.com").RuleId);
    }

    [Fact]
    public void Allow_all_allows_what_no_global_deny_forbids()
    {
        EgressRuleSet set = Set([Rule("g", "*", "evil.example", "*", EgressAction.Deny)], [Session("s", "web-1", 0, allowAll: true)]);
        Assert.Equal((EgressAction.Allow, EgressLayers.AllowAll), (Decide(set, "anything.test").Action, Decide(set, "anything.test").Layer));
        Assert.Equal(EgressAction.Deny, Decide(set, "evil.example").Action);
        Assert.Equal(EgressLayers.Default, Decide(set, "anything.test", caller: new EgressCaller("db-1", "db")).Layer);
    }

    [Fact]
    public void Builtin_loopback_and_default_modes()
    {
        Assert.Equal(("builtin", "builtin-loopback-v4"), (Decide(Set([]), "127.0.0.1").Layer, Decide(Set([]), "127.0.0.1").RuleId));
        Assert.True(Decide(Set([]), "localhost").NamesDestination);
        Assert.Equal(EgressLayers.Default, Decide(Set([], loopback: false), "localhost").Layer);
        Assert.Equal("default:strict", Decide(Set([]), "x.test").ReasonHeader);
        EgressDecision learn = Decide(Set([], mode: EgressMode.Learn), "x.test");
        Assert.Equal((EgressAction.Allow, EgressLayers.Learn), (learn.Action, learn.Layer));
        EgressRuleSet appLearn = Set([], modes: new() { ["web"] = EgressMode.Learn });
        Assert.Equal(EgressLayers.Learn, Decide(appLearn, "x.test").Layer);
        EgressRuleSet denyInLearn = Set([Rule("d", "*", "x.test", "*", EgressAction.Deny)], mode: EgressMode.Learn);
        Assert.Equal(EgressAction.Deny, Decide(denyInLearn, "x.test").Action);
    }

    [Theory]
    [InlineData("**.example.com", "example.com", true)]
    [InlineData("**.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "API.Example.COM", true)]
    [InlineData("*.example.com", "badexample.com", false)]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "11.1.2.3", false)]
    [InlineData("10.0.0.0/8", "ten.example", false)]
    [InlineData("fd00::/8", "fd12::1", true)]
    [InlineData("192.168.1.0/25", "192.168.1.200", false)]
    [InlineData("api.example.com", "api.example.com.", true)]
    public void Destination_patterns(string pattern, string host, bool expected)
    {
        Assert.True(EgressHost.TryNormalize(host, out string normalized, out IPAddress? ip, out _));
        EgressRuleSet set = Set([Rule("r", "*", pattern, "*", EgressAction.Allow)]);
        Assert.Equal(expected, set.Decide(s_web, normalized, ip, 443, s_now).RuleId == "r");
    }

    [Theory]
    [InlineData("*", 1, true)]
    [InlineData("443", 443, true)]
    [InlineData("443", 80, false)]
    [InlineData("80,443", 80, true)]
    [InlineData("8000-9000", 8500, true)]
    [InlineData("8000-9000", 9001, false)]
    [InlineData("80,8000-9000", 8000, true)]
    [InlineData("9000-8000", 8500, false)]
    [InlineData("0", 0, false)]
    [InlineData("70000", 443, false)]
    [InlineData("abc", 443, false)]
    [InlineData("", 443, false)]
    public void Port_patterns(string pattern, int port, bool expected) => Assert.Equal(expected, PortPattern.Parse(pattern, out _).Matches(port));

    [Theory]
    [InlineData("web-*", "web-1", true)]
    [InlineData("web-?", "web-12", false)]
    [InlineData("web-[0-9]", "web-7", true)]
    [InlineData("web-[!0-9]", "web-7", false)]
    [InlineData("WEB", "web", true)]
    [InlineData("*-1", "web-1", true)]
    public void Container_globs(string pattern, string value, bool expected)
    {
        Assert.True(ContainerPattern.TryParse(pattern, out ContainerPattern p, out _));
        Assert.Equal(expected, p.Matches(value));
    }

    [Fact]
    public void Container_glob_matches_app_id()
    {
        EgressRuleSet set = Set([Rule("app", "web", "api.example.com", "*", EgressAction.Allow)]);
        Assert.Equal("app", Decide(set, "api.example.com").RuleId);
    }

    [Theory]
    [InlineData("web-[")]
    [InlineData("")]
    [InlineData("a b")]
    public void Invalid_container_patterns(string pattern) => Assert.False(ContainerPattern.TryParse(pattern, out _, out _));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.2.3.4", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("2001:db8::1", false)]
    public void Private_addresses(string address, bool expected) => Assert.Equal(expected, PrivateAddress.IsPrivate(IPAddress.Parse(address)));
}
