using PolicyGate.Core.Policy;
using PolicyGate.Core.Routing;

namespace PolicyGate.Core.Tests.Policy;

public sealed class InstanceIdsTests
{
    [Theory]
    [InlineData("web_1")]
    [InlineData("demo")]
    [InlineData("a0")]
    public void Every_valid_id_is_reachable_through_the_sni_grammar(string id)
    {
        Assert.Null(InstanceIds.Validate(id, "instance_id"));
        Assert.True(SniRouteParser.TryParse(id + "-8080.localhost", "localhost", out SniRoute? route, out string error), error);
        Assert.Equal(id, route!.Id);
    }

    [Fact]
    public void The_health_id_is_reserved()
    {
        Assert.Equal("app_id: \"health\" is reserved (the edge answers health.<base_domain> itself)", InstanceIds.Validate("health", "app_id"));
    }

    [Theory]
    [InlineData("my-app")]
    [InlineData("MyApp")]
    [InlineData("")]
    public void Ids_outside_the_grammar_are_refused(string id)
    {
        Assert.NotNull(InstanceIds.Validate(id, "instance_id"));
    }
}
