using System.Text;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Core.Tests.Policy.Egress;

public sealed class ProxyRequestParserTests
{
    private static (bool Ok, ProxyRequest Request, ProxyRequestError Error) Parse(string head)
    {
        bool ok = ProxyRequestParser.TryParse(Encoding.ASCII.GetBytes(head), out ProxyRequest request, out ProxyRequestError error);
        return (ok, request, error);
    }

    [Theory]
    [InlineData("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n", "api.example.com", 443)]
    [InlineData("CONNECT API.Example.com HTTP/1.1\r\n\r\n", "api.example.com", 443)]
    [InlineData("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n", "::1", 8443)]
    [InlineData("CONNECT 10.0.0.1:22 HTTP/1.0\r\n\r\n", "10.0.0.1", 22)]
    public void Connect_targets(string head, string host, int port)
    {
        (bool ok, ProxyRequest request, _) = Parse(head);
        Assert.True(ok);
        Assert.Equal((ProxyRequestKind.Connect, host, port), (request.Kind, request.Host, request.Port));
    }

    [Theory]
    [InlineData("CONNECT host:0 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:0': port 0 out of range")]
    [InlineData("CONNECT host:65536 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:65536': port 65536 out of range")]
    [InlineData("CONNECT host:99999999999 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:99999999999': port '99999999999' is not a number in 1..65535")]
    [InlineData("CONNECT host:-1 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:-1': port '-1' is not a number in 1..65535")]
    [InlineData("CONNECT host: HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'host:': empty port")]
    [InlineData("CONNECT :443 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target ':443': host is empty")]
    [InlineData("CONNECT bad_host!:443 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target 'bad_host!:443': 'bad_host!' is not a valid host name")]
    [InlineData("CONNECT ::1:443 HTTP/1.1\r\n\r\n", 400, "bad CONNECT target '::1:443': IPv6 literals must be bracketed")]
    [InlineData("CONNECT host:443\r\n\r\n", 400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)")]
    [InlineData("CONNECT  host:443 HTTP/1.1\r\n\r\n", 400, "malformed request line (expected: METHOD SP target SP HTTP/1.1)")]
    [InlineData("CONNECT host:443 HTTP/2.0\r\n\r\n", 400, "unsupported protocol version 'HTTP/2.0' (HTTP/1.1 or HTTP/1.0)")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "only CONNECT host:port and absolute-form http:// requests are proxied")]
    [InlineData("GET https://x/ HTTP/1.1\r\n\r\n", 400, "https:// targets must use CONNECT")]
    [InlineData("GET http://user@x/ HTTP/1.1\r\n\r\n", 400, "bad request target 'http://user@x/': user info is not accepted")]
    [InlineData("CONNECT h:1 HTTP/1.1\r\n folded\r\n\r\n", 400, "obsolete header line folding is not accepted")]
    [InlineData("CONNECT h:1 HTTP/1.1\r\nNoColon\r\n\r\n", 400, "malformed header line")]
    [InlineData("CONNECT h:1 HTTP/1.1\r\nProxy-Authorization: Bearer x\r\n\r\n", 400, "malformed Proxy-Authorization (expected Basic base64(user:password))")]
    [InlineData("POST http://x/ HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "both Content-Length and Transfer-Encoding")]
    public void Bad_requests_get_precise_errors(string head, int status, string message)
    {
        (bool ok, _, ProxyRequestError error) = Parse(head);
        Assert.False(ok);
        Assert.Equal((status, message), (error.Status, error.Message));
    }

    [Fact]
    public void Absolute_form_rewritten_to_origin_form_without_hop_by_hop_headers()
    {
        (bool ok, ProxyRequest request, _) = Parse(
            "GET http://Example.com:8080/a/b?q=1 HTTP/1.1\r\nHost: example.com:8080\r\nProxy-Connection: keep-alive\r\nConnection: X-Drop\r\n"
            + "X-Drop: 1\r\nProxy-Authorization: Basic " + Convert.ToBase64String("agent-7:pw"u8) + "\r\nAccept: */*\r\n\r\n");
        Assert.True(ok);
        Assert.Equal(("example.com", 8080, "/a/b?q=1", "agent-7"), (request.Host, request.Port, request.PathAndQuery, request.ProxyUser));
        string origin = Encoding.ASCII.GetString(ProxyRequestParser.OriginHead(request));
        Assert.Equal("GET /a/b?q=1 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n", origin);
    }

    [Fact]
    public void Absolute_form_defaults_to_port_80_and_root_path()
    {
        (bool ok, ProxyRequest request, _) = Parse("GET http://example.com HTTP/1.1\r\n\r\n");
        Assert.True(ok);
        Assert.Equal((80, "/", "example.com"), (request.Port, request.PathAndQuery, request.Authority));
    }

    [Fact]
    public void Oversized_heads_are_refused()
    {
        string big = "CONNECT h:1 HTTP/1.1\r\nX: " + new string('a', 17_000) + "\r\n\r\n";
        Assert.Equal(431, Parse(big).Error.Status);
        string longLine = "CONNECT " + new string('a', 9000) + ":1 HTTP/1.1\r\n\r\n";
        Assert.Equal((414, "request line too long"), (Parse(longLine).Error.Status, Parse(longLine).Error.Message));
        byte[] nonAscii = [.. "CONNECT h:1 HTTP/1.1\r\nX: "u8, 0xC3, 0xA9, .. "\r\n\r\n"u8];
        Assert.False(ProxyRequestParser.TryParse(nonAscii, out _, out ProxyRequestError error));
        Assert.Equal((400, "request head contains non-ASCII or NUL bytes"), (error.Status, error.Message));
    }
}
