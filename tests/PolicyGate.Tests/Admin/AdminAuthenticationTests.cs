using System.Net;
using System.Net.Http.Headers;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Admin;

/// <summary>Bearer auth on the whole /api/v1 group: 401 JSON + WWW-Authenticate, and nothing changes.</summary>
public sealed class AdminAuthenticationTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer test-admin-token-0123456789abcdeX")]
    [InlineData("Basic dGVzdC1hZG1pbi10b2tlbi0wMTIzNDU2Nzg5YWJjZGVm")]
    [InlineData("Bearer test-admin-token-0123456789abcdef0")]
    public async Task BadOrMissingTokenIs401AndChangesNothing(string? authorization)
    {
        using HttpClient client = new() { BaseAddress = _node.Admin.BaseAddress };
        using HttpRequestMessage request = new(HttpMethod.Post, "/api/v1/instances")
        {
            Content = new StringContent("""{"instance_id":"web_1","app_id":"web","address":"127.0.0.1"}"""),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("""{"error":"unauthorized"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"instances":[]}""", (await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/instances")).ToJsonString());
    }

    [Fact]
    public async Task SchemeIsCaseInsensitive()
    {
        using HttpClient client = new() { BaseAddress = _node.Admin.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", TestNode.AdminToken);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/instances")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nope")]
    [InlineData("DELETE", "/api/v2/instances")]
    [InlineData("POST", "/api/")]
    [InlineData("GET", "/API/v1/instances/x/unknown")]
    public async Task UnknownApiPathsAre401WithoutTokenAnd404WithIt(string method, string path)
    {
        using HttpClient anonymous = new() { BaseAddress = _node.Admin.BaseAddress };

        using HttpResponseMessage refused = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using HttpResponseMessage known = await _node.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal("""{"error":"unauthorized"}""", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, known.StatusCode);
    }

    [Fact]
    public async Task AdminApiIsNotServedOnOtherListeners()
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "/api/v1/instances");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestNode.AdminToken);

        using HttpResponseMessage response = await _node.Metrics.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
