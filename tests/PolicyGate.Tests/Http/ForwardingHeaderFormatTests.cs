using System.Net;
using PolicyGate.Http;

namespace PolicyGate.Tests.Http;

/// <summary>The pure formatting and validation rules behind the forwarding headers.</summary>
public sealed class ForwardingHeaderFormatTests
{
    [Theory]
    [InlineData("192.0.2.7", "for=192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8::1", "for=\"[2001:db8::1]\"", "2001:db8::1")]
    [InlineData("::ffff:198.51.100.4", "for=198.51.100.4", "198.51.100.4")]
    public void Client_addresses_are_formatted_per_RFC_7239(string address, string forParameter, string xForwardedFor)
    {
        IPAddress ip = IPAddress.Parse(address);
        Assert.Equal(forParameter, ForwardedHeaderValue.ForParameter(ip));
        Assert.Equal(xForwardedFor, ForwardedHeaderValue.ForwardedFor(ip));
    }

    [Theory]
    [InlineData("app.localhost", "for=1.2.3.4;proto=https;host=app.localhost")]
    [InlineData("app.localhost:8443", "for=1.2.3.4;proto=https;host=\"app.localhost:8443\"")]
    [InlineData("[::1]:8443", "for=1.2.3.4;proto=https;host=\"[::1]:8443\"")]
    [InlineData("a\"b", "for=1.2.3.4;proto=https;host=\"a\\\"b\"")]
    public void Host_is_quoted_unless_it_is_a_token(string host, string expected)
    {
        Assert.Equal(expected, ForwardedHeaderValue.Create("for=1.2.3.4", host));
    }

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("trace:42/7+x=y@z.w_v", true)]
    [InlineData("", false)]
    [InlineData("two words", false)]
    [InlineData("semi;colon", false)]
    [InlineData("ünïcode", false)]
    [InlineData("new\nline", false)]
    public void Client_request_ids_are_kept_only_when_sane(string value, bool sane)
    {
        Assert.Equal(sane, RequestIdPolicy.IsSane(value));
        Assert.Equal(sane, RequestIdPolicy.Resolve(value) == value);
    }

    [Fact]
    public void Over_long_or_repeated_request_ids_are_replaced()
    {
        Assert.False(RequestIdPolicy.IsSane(new string('a', RequestIdPolicy.MaxLength + 1)));
        Assert.True(RequestIdPolicy.IsSane(new string('a', RequestIdPolicy.MaxLength)));
        Assert.Matches("^[0-9a-f]{32}$", RequestIdPolicy.Resolve(new Microsoft.Extensions.Primitives.StringValues(["a", "b"])));
    }

    [Fact]
    public void Generated_request_ids_are_distinct_hex()
    {
        HashSet<string> ids = [];
        for (int i = 0; i < 1000; i++)
        {
            string id = RequestIdPolicy.NewId();
            Assert.Matches("^[0-9a-f]{32}$", id);
            Assert.True(ids.Add(id));
        }
    }
}
