using System.Text;
using PolicyGate.Core.Policy;

namespace PolicyGate.Core.Tests.Policy;

public sealed class InstanceRegistrationParserTests
{
    private static InstanceRegistrationParseResult Parse(string json) => InstanceRegistrationParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParsesAFullRegistration()
    {
        InstanceRegistration r = Parse("""
            {"instance_id":"web_1","app_id":"web","tenant_id":"acme","address":"10.0.0.5","agent_url":"http://10.0.0.5:8090/info",
             "compose_hash":"abc","port_policy":{"ports":[{"port":80}],"restrict_mode":true}}
            """).Registration!;

        Assert.Equal(("web_1", "web", "acme", "10.0.0.5", "http://10.0.0.5:8090/info", "abc"), (r.InstanceId, r.AppId, r.TenantId, r.Address, r.AgentUrl, r.ComposeHash));
        Assert.True(r.PortPolicy!.RestrictMode);
    }

    [Fact]
    public void OptionalFieldsMayBeAbsentOrNull()
    {
        InstanceRegistration r = Parse("""{"instance_id":"a1","app_id":"a","address":"backend.local","tenant_id":null,"port_policy":null}""").Registration!;

        Assert.Null(r.TenantId);
        Assert.Null(r.PortPolicy);
        Assert.Null(r.ComposeHash);
    }

    [Theory]
    [InlineData("""{"app_id":"a","address":"h"}""", "instance_id: is required")]
    [InlineData("""{"instance_id":"a1","address":"h"}""", "app_id: is required")]
    [InlineData("""{"instance_id":"a1","app_id":"a"}""", "address: is required")]
    [InlineData("""{"instance_id":"web-1","app_id":"a","address":"h"}""", "instance_id: \"web-1\" may hold only a-z, 0-9 and '_' ('-' separates the port in host names)")]
    [InlineData("""{"instance_id":"Web","app_id":"a","address":"h"}""", "instance_id: \"Web\" may hold only a-z, 0-9 and '_' ('-' separates the port in host names)")]
    [InlineData("""{"instance_id":"a1","app_id":"a.b","address":"h"}""", "app_id: \"a.b\" may hold only a-z, 0-9 and '_' ('-' separates the port in host names)")]
    [InlineData("""{"instance_id":1,"app_id":"a","address":"h"}""", "instance_id: must be a string, not a number")]
    [InlineData("""{"instance_id":"a1","app_id":"a","address":"h h"}""", "address: \"h h\" is not a host name or IP address")]
    [InlineData("""{"instance_id":"a1","app_id":"a","address":"h","agent_url":"ftp://h/"}""", "agent_url: \"ftp://h/\" is not an absolute http or https URL")]
    [InlineData("""{"instance_id":"a1","app_id":"a","address":"h","color":"red"}""", "color: unknown field")]
    [InlineData("""{"instance_id":"a1","app_id":"a","address":"h","port_policy":{"ports":[{"port":70000}]}}""", "port 70000 out of range")]
    [InlineData("""{"instance_id":"a1","app_id":"a","address":"h","port_policy":{"ports":[{"port":1},{"port":1}]}}""", "duplicate port 1")]
    [InlineData("""{"instance_id":"a1","app_id":"a","address":"h","port_policy":[]}""", "port_policy: must be an object, not an array")]
    [InlineData("[1]", "registration: must be an object, not an array")]
    [InlineData("", "registration body is required")]
    public void RejectsBadRegistrationsPrecisely(string json, string error)
    {
        InstanceRegistrationParseResult result = Parse(json);

        Assert.Null(result.Registration);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void TooLongIdIsRejected()
    {
        string id = new('a', 64);

        Assert.Equal("instance_id: longer than 63 characters", Parse($$"""{"instance_id":"{{id}}","app_id":"a","address":"h"}""").Error);
    }
}
