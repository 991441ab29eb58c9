using System.Net;
using System.Text.Json;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Tests.Inspection;

/// <summary>The same inspection behaviour over real TLS, HTTP/1.1 and HTTP/2.</summary>
public sealed class TlsInspectionTests(InspectionHostFixture fixture) : IClassFixture<InspectionHostFixture>
{
    private InspectionTestHost Host => fixture.Host;

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Block_redact_and_clean_over_tls(string version)
    {
        using HttpResponseMessage blocked = await SendAsync("block", "/sample?d=" + DetectorNames.Iban, version);
        Assert.Equal(Version.Parse(version), blocked.Version);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal(DetectorNames.Iban, blocked.Headers.GetValues("X-PolicyGate-Blocked").Single());
        using JsonDocument json = JsonDocument.Parse(await blocked.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("audit_seq").GetInt64() > 0);

        using HttpResponseMessage redacted = await SendAsync("redact", "/gzip?d=" + DetectorNames.Ipv6, version);
        Assert.Equal("Hello! The value is [REDACTED:ipv6] and that is all.\n", await redacted.Content.ReadAsStringAsync());

        using HttpResponseMessage clean = await SendAsync("block", "/json", version);
        byte[] body = await clean.Content.ReadAsByteArrayAsync();
        Assert.Equal(InspectionBackend.CleanJson(1024 * 1024), body);
    }

    [Fact]
    public async Task Streaming_hit_resets_the_http2_stream()
    {
        using HttpRequestMessage request = new(HttpMethod.Get, Host.TlsUrl("block", "/big?d=" + DetectorNames.CreditCard))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using HttpResponseMessage response = await Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(async () => await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(string tenant, string path, string version)
    {
        HttpRequestMessage request = new(HttpMethod.Get, Host.TlsUrl(tenant, path))
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return await Host.Client.SendAsync(request);
    }
}
