using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PolicyGate.Acme;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Acme;

/// <summary>
/// Protocol corners of <see cref="AcmeClient"/> that pebble produces only at random (badNonce) or not on demand (Retry-After):
/// a scripted local ACME stand-in answers them deterministically. Everything else is tested against the real pebble.
/// </summary>
public sealed class AcmeClientProtocolTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, JsonObject Header)> _posts = new();
    private WebApplication _app = null!;
    private string _base = "";
    private int _nonce;
    private int _orderPolls;
    private bool _badNonceSent;
    private ECDsa? _accountKey;

    public async Task InitializeAsync()
    {
        int port = TestNode.FreePort();
        _base = $"http://127.0.0.1:{port}";
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        _app = builder.Build();
        _app.MapGet("/dir", () => Results.Json(new { newNonce = _base + "/nonce", newAccount = _base + "/acct", newOrder = _base + "/order" }));
        _app.MapMethods("/nonce", ["HEAD"], (HttpContext c) => WithNonce(c, Results.Ok()));
        _app.MapPost("/acct", async (HttpContext c) =>
        {
            JsonObject header = await ReadAsync(c);
            if (!_badNonceSent)
            {
                _badNonceSent = true;
                c.Response.ContentType = "application/problem+json";
                return WithNonce(c, Results.Text("{\"type\":\"urn:ietf:params:acme:error:badNonce\",\"detail\":\"stale\"}", "application/problem+json", statusCode: 400));
            }

            c.Response.Headers.Location = _base + "/acct/1";
            return WithNonce(c, Results.Json(new { status = "valid" }, statusCode: 201));
        });
        _app.MapPost("/order/1", async (HttpContext c) =>
        {
            await ReadAsync(c);
            bool done = Interlocked.Increment(ref _orderPolls) > 1;
            if (!done)
            {
                c.Response.Headers.RetryAfter = "1";
            }

            return WithNonce(c, Results.Json(new { status = done ? "valid" : "processing" }));
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _accountKey?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task BadNonce_is_retried_with_the_nonce_the_error_carried_and_later_requests_use_kid()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpClient http = new();
        AcmeClient client = new(http, new Uri(_base + "/dir"), key, TimeProvider.System);

        await client.EnsureAccountAsync(["mailto:ops@example.com"], termsOfServiceAgreed: true, CancellationToken.None);
        await client.PollAsync(new Uri(_base + "/order/1"), new HashSet<string> { "processing" }, TimeSpan.FromSeconds(10), CancellationToken.None);

        (string Path, JsonObject Header)[] posts = [.. _posts];
        Assert.Equal(_base + "/acct/1", client.AccountUrl);
        Assert.Equal(["/acct", "/acct", "/order/1", "/order/1"], posts.Select(p => p.Path));
        Assert.Equal("n1", (string?)posts[0].Header["nonce"]);
        Assert.Equal("n2", (string?)posts[1].Header["nonce"]); // the Replay-Nonce of the badNonce answer
        Assert.NotNull(posts[1].Header["jwk"]);
        Assert.Equal(_base + "/acct/1", (string?)posts[2].Header["kid"]);
        Assert.Null(posts[2].Header["jwk"]);
    }

    [Fact]
    public async Task Polling_waits_the_Retry_After_the_server_asked_for()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpClient http = new();
        AcmeClient client = new(http, new Uri(_base + "/dir"), key, TimeProvider.System);
        await client.EnsureAccountAsync([], termsOfServiceAgreed: true, CancellationToken.None);

        Stopwatch watch = Stopwatch.StartNew();
        JsonObject order = await client.PollAsync(new Uri(_base + "/order/1"), new HashSet<string> { "processing" }, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("valid", (string?)order["status"]);
        Assert.Equal(2, _orderPolls);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(5));
    }

    private IResult WithNonce(HttpContext context, IResult result)
    {
        context.Response.Headers["Replay-Nonce"] = "n" + Interlocked.Increment(ref _nonce);
        context.Response.Headers.CacheControl = "no-store";
        return result;
    }

    /// <summary>Parses the flattened JWS, checks its ES256 signature against the account key, records the protected header.</summary>
    private async Task<JsonObject> ReadAsync(HttpContext context)
    {
        Assert.Equal("application/jose+json", context.Request.ContentType);
        JsonObject jws = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        string protectedPart = (string)jws["protected"]!;
        JsonObject header = JsonNode.Parse(Base64Url.DecodeFromChars(protectedPart))!.AsObject();
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal(_base + context.Request.Path, (string?)header["url"]);
        if (header["jwk"] is JsonObject jwk)
        {
            _accountKey ??= ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
            });
        }

        byte[] signed = System.Text.Encoding.ASCII.GetBytes(protectedPart + "." + (string)jws["payload"]!);
        Assert.True(_accountKey!.VerifyData(signed, Base64Url.DecodeFromChars((string)jws["signature"]!), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "JWS signature does not verify with the account key");
        _posts.Enqueue((context.Request.Path.Value!, header));
        return header;
    }
}
