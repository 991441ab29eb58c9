using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PolicyGate.Cli;

/// <summary>The --demo backends on loopback: a JSON HTTP app (`/pii` leaks test PII on purpose) and a TCP echo.</summary>
public sealed class DemoBackends(DemoOptions options) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _http;
    private TcpListener? _echo;
    private Task _echoLoop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.HttpPort, lo => lo.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRoutingCore();
        WebApplication http = builder.Build();
        http.UseRouting();
        http.MapGet("/pii", static () => Results.Json(new
        {
            app = DemoOptions.AppId,
            customer = "Jane Doe",
            email = DemoOptions.TestEmail,
            card = DemoOptions.TestCardNumber,
            note = "test data: this response should be blocked by response inspection",
        }));
        http.Map("/{**path}", static (HttpContext context) => Results.Json(new
        {
            app = DemoOptions.AppId,
            instance = DemoOptions.InstanceId,
            method = context.Request.Method,
            path = context.Request.Path.Value,
            // No addresses in the body: the default tenant's ipv4/ipv6 detectors would (rightly) block it.
            forwarded_headers = context.Request.Headers.Keys.Where(static k => k.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) || k == "Forwarded").Order().ToArray(),
            request_id = context.Request.Headers["X-Request-Id"].ToString(),
        }));
        await http.StartAsync(cancellationToken);
        _http = http;

        TcpListener echo = new(IPAddress.Loopback, options.TcpPort);
        echo.Start();
        _echo = echo;
        _echoLoop = AcceptEchoAsync(echo, _stopping.Token);
    }

    private static async Task AcceptEchoAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = EchoAsync(client, stopping);
        }
    }

    private static async Task EchoAsync(Socket client, CancellationToken stopping)
    {
        using (client)
        {
            client.NoDelay = true;
            byte[] buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, stopping)) > 0)
                {
                    await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping);
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _echo?.Stop();
        await _echoLoop;
        if (_http is not null)
        {
            await _http.StopAsync(CancellationToken.None);
            await _http.DisposeAsync();
        }

        _stopping.Dispose();
    }
}
