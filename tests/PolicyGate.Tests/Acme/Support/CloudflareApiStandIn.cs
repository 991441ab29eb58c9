using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Acme.Support;

/// <summary>
/// A small local HTTP stand-in of the Cloudflare API v4 (the real api.cloudflare.com cannot be reached from a test):
/// GET /client/v4/zones?name=, POST and DELETE /client/v4/zones/{zone}/dns_records[/{id}], with the v4 envelope
/// {success, errors, result} and Bearer token check. Created TXT records are applied to pebble-challtestsrv, so pebble
/// really validates what the provider published.
/// </summary>
public sealed class CloudflareApiStandIn : IAsyncDisposable
{
    public const string ZoneId = "023e105f4ecef8ad9ca31a8372d0c353";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _records = new();

    private CloudflareApiStandIn(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/client/v4</summary>
    public string ApiUrl => $"http://127.0.0.1:{Port}/client/v4";

    /// <summary>Every request as "METHOD path?query" in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>TXT records currently present, id → name.</summary>
    public IReadOnlyDictionary<string, string> Records => _records;

    public static async Task<CloudflareApiStandIn> StartAsync(string zoneName, string token, int challtestsrvManagementPort)
    {
        int port = TestNode.FreePort();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        CloudflareApiStandIn self = new(app, port);
        HttpClient dns = new() { BaseAddress = new Uri($"http://127.0.0.1:{challtestsrvManagementPort}") };

        app.Use(async (context, next) =>
        {
            self.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (context.Request.Headers.Authorization != "Bearer " + token)
            {
                await Envelope(context, 403, null, "Invalid request headers", 6003);
                return;
            }

            await next(context);
        });
        app.MapGet("/client/v4/zones", (HttpContext context) =>
        {
            JsonArray zones = context.Request.Query["name"] == zoneName ? [new JsonObject { ["id"] = ZoneId, ["name"] = zoneName }] : [];
            return Envelope(context, 200, zones);
        });
        app.MapPost("/client/v4/zones/{zone}/dns_records", async (HttpContext context, string zone) =>
        {
            JsonObject body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            if (zone != ZoneId || (string?)body["type"] != "TXT")
            {
                await Envelope(context, 400, null, "bad zone or record type", 1004);
                return;
            }

            string name = (string)body["name"]!;
            string id = Guid.NewGuid().ToString("N");
            self._records[id] = name;
            using StringContent set = new(new JsonObject { ["host"] = name + ".", ["value"] = (string)body["content"]! }.ToJsonString(), Encoding.UTF8);
            (await dns.PostAsync("/set-txt", set)).EnsureSuccessStatusCode();
            await Envelope(context, 200, new JsonObject { ["id"] = id, ["type"] = "TXT", ["name"] = name, ["content"] = (string)body["content"]! });
        });
        app.MapDelete("/client/v4/zones/{zone}/dns_records/{id}", async (HttpContext context, string zone, string id) =>
        {
            if (!self._records.TryRemove(id, out string? name))
            {
                await Envelope(context, 404, null, "Record not found", 81044);
                return;
            }

            using StringContent clear = new(new JsonObject { ["host"] = name + "." }.ToJsonString(), Encoding.UTF8);
            (await dns.PostAsync("/clear-txt", clear)).EnsureSuccessStatusCode();
            await Envelope(context, 200, new JsonObject { ["id"] = id });
        });
        await app.StartAsync();
        return self;
    }

    private static Task Envelope(HttpContext context, int status, JsonNode? result, string? error = null, int code = 0)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        JsonObject body = new()
        {
            ["success"] = error is null,
            ["errors"] = error is null ? new JsonArray() : new JsonArray(new JsonObject { ["code"] = code, ["message"] = error }),
            ["messages"] = new JsonArray(),
            ["result"] = result,
        };
        return context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
