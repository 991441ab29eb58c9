using System.Text;
using PolicyGate.Core.Policy;

namespace PolicyGate.Core.Tests.Policy;

public sealed class PortPolicyParserTests
{
    private static PortPolicyParseResult Parse(string json) => PortPolicyParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParsesTheDesignExampleWithDefaults()
    {
        PortPolicyParseResult result = Parse("""{"ports":[{"port":8080,"pp":true,"protocol":"http"},{"port":22}],"restrict_mode":true}""");

        Assert.Null(result.Error);
        PortPolicy policy = result.Policy!;
        Assert.True(policy.RestrictMode);
        Assert.Equal([new PortRule(22, false, null), new PortRule(8080, true, "http")], policy.Ports);
    }

    [Fact]
    public void RestrictModeDefaultsToFalse()
    {
        PortPolicy policy = Parse("""{"ports":[{"port":443,"protocol":"tcp"}]}""").Policy!;

        Assert.False(policy.RestrictMode);
        Assert.True(policy.IsAllowed(1));
        Assert.Equal("tcp", policy.Find(443)!.Protocol);
    }

    [Fact]
    public void EmptyObjectIsOpen()
    {
        PortPolicy policy = Parse("{}").Policy!;

        Assert.False(policy.RestrictMode);
        Assert.Empty(policy.Ports);
    }

    [Theory]
    [InlineData("""{"ports":[{"port":80},{"port":80}]}""", "duplicate port 80")]
    [InlineData("""{"ports":[{"port":0}]}""", "port 0 out of range")]
    [InlineData("""{"ports":[{"port":65536}]}""", "port 65536 out of range")]
    [InlineData("""{"ports":[{"port":-1}]}""", "port -1 out of range")]
    [InlineData("""{"ports":[{"port":99999999999999999999}]}""", "port 99999999999999999999 out of range")]
    [InlineData("""{"ports":[{"port":1.5}]}""", "port_policy.ports[0].port: must be an integer, not 1.5")]
    [InlineData("""{"ports":[{"port":"80"}]}""", "port_policy.ports[0].port: must be an integer, not a string")]
    [InlineData("""{"ports":[{"pp":true}]}""", "port_policy.ports[0].port: is required")]
    [InlineData("""{"ports":[{"port":80,"pp":"yes"}]}""", "port_policy.ports[0].pp: must be true or false, not a string")]
    [InlineData("""{"ports":[{"port":80,"protocol":"udp"}]}""", "port_policy.ports[0].protocol: must be \"http\" or \"tcp\", not \"udp\"")]
    [InlineData("""{"ports":[{"port":80,"protocol":1}]}""", "port_policy.ports[0].protocol: must be \"http\" or \"tcp\", not a number")]
    [InlineData("""{"ports":[{"port":80,"tls":true}]}""", "port_policy.ports[0].tls: unknown field (expected port, pp, protocol)")]
    [InlineData("""{"ports":[80]}""", "port_policy.ports[0]: must be an object, not a number")]
    [InlineData("""{"ports":{"port":80}}""", "port_policy.ports: must be an array, not an object")]
    [InlineData("""{"restrict_mode":"true"}""", "port_policy.restrict_mode: must be true or false, not a string")]
    [InlineData("""{"restrict":true}""", "port_policy.restrict: unknown field (expected ports, restrict_mode)")]
    [InlineData("[]", "port_policy: must be an object, not an array")]
    [InlineData("null", "port_policy: must be an object, not null")]
    public void RejectsBadPoliciesPrecisely(string json, string error)
    {
        PortPolicyParseResult result = Parse(json);

        Assert.Null(result.Policy);
        Assert.Equal(error, result.Error);
    }

    [Theory]
    [InlineData("{\"ports\":[", "malformed JSON:")]
    [InlineData("{\"ports\":[]} x", "malformed JSON: unexpected data after the value at byte 12")]
    [InlineData("", "malformed JSON:")]
    public void MalformedJsonNamesThePosition(string json, string prefix)
    {
        PortPolicyParseResult result = Parse(json);

        Assert.Null(result.Policy);
        Assert.StartsWith(prefix, result.Error);
        Assert.Contains("byte", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void JsonRoundTripsAscending()
    {
        PortPolicy policy = Parse("""{"ports":[{"port":9000,"pp":true},{"port":80,"protocol":"http"}],"restrict_mode":true}""").Policy!;

        string text = PortPolicyJson.ToText(policy);

        Assert.Equal("""{"ports":[{"port":80,"pp":false,"protocol":"http"},{"port":9000,"pp":true,"protocol":null}],"restrict_mode":true}""", text);
        Assert.Equal(text, PortPolicyJson.ToText(Parse(text).Policy!));
    }
}
