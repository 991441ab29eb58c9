using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Http;

/// <summary>
/// A loopback Kestrel backend: `/echo` answers the request's protocol and headers as JSON, `/big` 1 MiB of fixed bytes,
/// `/slow` nothing for a minute, `/ws` echoes WebSocket messages; counts the TCP connections it accepted.
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    public const int BigSize = 1024 * 1024;

    private readonly WebApplication _app;
    private int _connections;

    private EchoBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public int ConnectionsAccepted => Volatile.Read(ref _connections);

    /// <summary>The bytes `/big` answers: a fixed pseudo-random sequence.</summary>
    public static byte[] BigBody { get; } = CreateBigBody();

    public static async Task<EchoBackend> StartAsync(HttpProtocols protocols)
    {
        int port = TestNode.FreePort();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        EchoBackend? self = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, lo =>
        {
            lo.Protocols = protocols;
            lo.Use(next => connection =>
            {
                Interlocked.Increment(ref self!._connections);
                return next(connection);
            });
        }));
        WebApplication app = builder.Build();
        self = new EchoBackend(app, port);
        app.UseWebSockets();
        app.Map("/echo", static (HttpContext context) =>
        {
            Dictionary<string, string> headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            context.Response.Headers["X-Request-Id"] = "backend-chosen-id";
            return Results.Json(new EchoReply(context.Request.Protocol, headers));
        });
        app.Map("/big", static async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = BigSize;
            await context.Response.Body.WriteAsync(BigBody);
        });
        app.Map("/slow", static async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
        });
        app.Map("/ws", static async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            byte[] buffer = new byte[4096];
            while (true)
            {
                WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        });
        await app.StartAsync();
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private static byte[] CreateBigBody()
    {
        byte[] body = new byte[BigSize];
        new Random(4242).NextBytes(body);
        return body;
    }
}

