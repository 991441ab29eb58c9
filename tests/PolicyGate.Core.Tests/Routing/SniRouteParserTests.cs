using PolicyGate.Core.Routing;

namespace PolicyGate.Core.Tests.Routing;

public sealed class SniRouteParserTests
{
    private const string Base = "localhost";

    [Theory]
    [InlineData("myapp.localhost", "myapp", 80, false, false)]
    [InlineData("myapp-8080.localhost", "myapp", 8080, false, false)]
    [InlineData("myapp-443s.localhost", "myapp", 443, true, false)]
    [InlineData("myapp-s.localhost", "myapp", 443, true, false)]
    [InlineData("myapps.localhost", "myapps", 80, false, false)]
    [InlineData("myapp-.localhost", "myapp", 80, false, false)]
    [InlineData("myapp-8080g.localhost", "myapp", 8080, false, true)]
    [InlineData("myapp-g.localhost", "myapp", 80, false, true)]
    [InlineData("myapp-22s.localhost", "myapp", 22, true, false)]
    [InlineData("MyApp-8080.LOCALHOST.", "myapp", 8080, false, false)]
    [InlineData("MYAPP-8080G.localhost", "myapp", 8080, false, true)]
    [InlineData("myapp-443S.Localhost", "myapp", 443, true, false)]
    [InlineData("myapp.localhost.", "myapp", 80, false, false)]
    [InlineData("myapp-1.localhost", "myapp", 1, false, false)]
    [InlineData("myapp-65535.localhost", "myapp", 65535, false, false)]
    [InlineData("0123abc-9000.localhost", "0123abc", 9000, false, false)]
    [InlineData("health.localhost", "health", 80, false, false)]
    [InlineData("my_app-8080.localhost", "my_app", 8080, false, false)]
    public void Parses_valid_hosts(string host, string id, int port, bool passthrough, bool http2)
    {
        bool ok = SniRouteParser.TryParse(host, Base, out SniRoute? route, out string error);

        Assert.True(ok, error);
        Assert.Equal(new SniRoute(id, port, passthrough, http2), route);
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    [InlineData("myapp-8080sg.localhost", "host 'myapp-8080sg.localhost' combines passthrough 's' and HTTP/2 'g' (sg)")]
    [InlineData("myapp-sg.localhost", "host 'myapp-sg.localhost' combines passthrough 's' and HTTP/2 'g' (sg)")]
    [InlineData("-8080.localhost", "label of host '-8080.localhost' has an empty id")]
    [InlineData("myapp-80-x.localhost", "label of host 'myapp-80-x.localhost' has more than two '-' separated parts")]
    [InlineData("myapp.example.com", "host 'myapp.example.com' is not under base domain 'localhost'")]
    [InlineData("myapp.notlocalhost", "host 'myapp.notlocalhost' is not under base domain 'localhost'")]
    [InlineData("a.myapp.localhost", "host 'a.myapp.localhost' has more than one label before base domain 'localhost'")]
    [InlineData("localhost", "host 'localhost' has an empty label before base domain 'localhost'")]
    [InlineData(".localhost", "host '.localhost' has an empty label before base domain 'localhost'")]
    [InlineData("myapp-0.localhost", "port '0' of host 'myapp-0.localhost' is outside 1..65535")]
    [InlineData("myapp-65536.localhost", "port '65536' of host 'myapp-65536.localhost' is outside 1..65535")]
    [InlineData("myapp-999999.localhost", "port '999999' of host 'myapp-999999.localhost' is outside 1..65535")]
    [InlineData("myapp-99999999999.localhost", "port '99999999999' of host 'myapp-99999999999.localhost' is outside 1..65535")]
    [InlineData("myapp-0080.localhost", "port '0080' of host 'myapp-0080.localhost' has a leading zero")]
    [InlineData("myapp-80x.localhost", "port '80x' of host 'myapp-80x.localhost' is not a number")]
    [InlineData("myapp-gs.localhost", "port 'g' of host 'myapp-gs.localhost' is not a number")]
    [InlineData("myapp-+80.localhost", "port '+80' of host 'myapp-+80.localhost' is not a number")]
    [InlineData("myäpp.localhost", "id 'myäpp' of host 'myäpp.localhost' has a character other than a-z, 0-9, '_'")]
    [InlineData("my app.localhost", "id 'my app' of host 'my app.localhost' has a character other than a-z, 0-9, '_'")]
    [InlineData("", "empty host name")]
    public void Rejects_bad_hosts_with_precise_error(string host, string expected)
    {
        bool ok = SniRouteParser.TryParse(host, Base, out SniRoute? route, out string error);

        Assert.False(ok);
        Assert.Null(route);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Rejects_label_longer_than_63()
    {
        string host = new string('a', 64) + ".localhost";

        Assert.False(SniRouteParser.TryParse(host, Base, out _, out string error));
        Assert.Equal($"label of host '{host}' is longer than 63 characters", error);
        Assert.True(SniRouteParser.TryParse(new string('a', 63) + ".localhost", Base, out _, out _));
    }

    [Fact]
    public void Rejects_overlong_host()
    {
        string host = string.Join('.', Enumerable.Repeat(new string('a', 60), 5)) + ".localhost";

        Assert.False(SniRouteParser.TryParse(host, Base, out _, out string error));
        Assert.Equal("host name longer than 253 characters", error);
    }

    [Theory]
    [InlineData("myapp-8080.apps.example.com", "apps.example.com")]
    [InlineData("myapp-8080.APPS.example.com.", "apps.example.com.")]
    public void Accepts_multi_label_base_domain(string host, string baseDomain)
    {
        Assert.True(SniRouteParser.TryParse(host, baseDomain, out SniRoute? route, out string error), error);
        Assert.Equal(new SniRoute("myapp", 8080, false, false), route);
    }

    [Fact]
    public void Health_id_is_recognised_case_insensitively()
    {
        Assert.True(SniRouteParser.TryParse("HEALTH.localhost", Base, out SniRoute? route, out _));
        Assert.True(route.IsHealth);
        Assert.True(SniRouteParser.TryParse("healthy.localhost", Base, out route, out _));
        Assert.False(route.IsHealth);
    }
}
