using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Http;

/// <summary>
/// A real nginx (own process, temp prefix) listening with `proxy_protocol` on a free loopback port. `/` answers
/// "$proxy_protocol_addr:$proxy_protocol_port $connection" and the access log records the same; `/status` is stub_status.
/// </summary>
internal sealed class NginxProxyProtocolBackend : IDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxProxyProtocolBackend(Process process, string prefix, int port, int h2cPort)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
        H2cPort = h2cPort;
    }

    /// <summary>HTTP/1.1 listener with proxy_protocol.</summary>
    public int Port { get; }

    /// <summary>h2c (HTTP/2 prior knowledge) listener with proxy_protocol; answers also name $server_protocol.</summary>
    public int H2cPort { get; }

    public string AccessLogPath => Path.Combine(_prefix, "access.log");

    public static async Task<NginxProxyProtocolBackend> StartAsync()
    {
        string prefix = Path.Combine(Path.GetTempPath(), "pg-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(prefix);
        int port = TestNode.FreePort();
        int h2cPort = TestNode.FreePort();
        string config = $$"""
            worker_processes 1;
            daemon off;
            master_process on;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log info;
            events { worker_connections 256; }
            http {
                log_format pp '$proxy_protocol_addr:$proxy_protocol_port $connection $request_uri';
                access_log {{prefix}}/access.log pp;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                keepalive_timeout 120s;
                server {
                    listen 127.0.0.1:{{port}} proxy_protocol;
                    location = /status { stub_status; }
                    location / {
                        default_type text/plain;
                        return 200 "$proxy_protocol_addr:$proxy_protocol_port $connection\n";
                    }
                }
                server {
                    listen 127.0.0.1:{{h2cPort}} proxy_protocol http2;
                    location / {
                        default_type text/plain;
                        return 200 "$proxy_protocol_addr:$proxy_protocol_port $connection $server_protocol\n";
                    }
                }
            }
            """;
        string configPath = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        ProcessStartInfo start = new("nginx", ["-p", prefix, "-e", Path.Combine(prefix, "error.log"), "-c", configPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        NginxProxyProtocolBackend backend = new(process, prefix, port, h2cPort);
        try
        {
            await WaitListeningAsync(process, port, prefix);
            await WaitListeningAsync(process, h2cPort, prefix);
        }
        catch
        {
            backend.Dispose();
            throw;
        }

        return backend;
    }

    /// <summary>Access log lines written so far.</summary>
    public string[] AccessLogLines() => File.Exists(AccessLogPath) ? File.ReadAllLines(AccessLogPath) : [];

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_prefix, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static async Task WaitListeningAsync(Process process, int port, string prefix)
    {
        Stopwatch watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                string log = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : "";
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using Socket probe = new(SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("nginx did not listen on port " + port + " within 15 s");
    }
}
