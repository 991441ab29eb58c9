namespace PolicyGate.Tests.Infrastructure.Processes;

/// <summary>Starts a real nginx (daemon off, everything in its temp dir) with generated `http {}` and/or `stream {}` blocks.</summary>
public static class NginxProcess
{
    /// <summary>
    /// Starts nginx; <paramref name="http"/> and <paramref name="stream"/> are the bodies of those blocks (null = block absent).
    /// Use <c>{dir}</c> in them for the work dir (logs). Waits until every port of <paramref name="listenPorts"/> accepts.
    /// </summary>
    public static async Task<ExternalProcess> StartAsync(string? http, string? stream, params int[] listenPorts)
    {
        ProcessWorkDir dir = new("nginx");
        string httpBlock = http is null ? "" : $$"""
            http {
                access_log off;
                client_body_temp_path {{dir.Path}}/body;
                proxy_temp_path {{dir.Path}}/proxy;
                fastcgi_temp_path {{dir.Path}}/fastcgi;
                uwsgi_temp_path {{dir.Path}}/uwsgi;
                scgi_temp_path {{dir.Path}}/scgi;
                {{http.Replace("{dir}", dir.Path)}}
            }
            """;
        string streamBlock = stream is null ? "" : $$"""
            stream {
                {{stream.Replace("{dir}", dir.Path)}}
            }
            """;
        string config = dir.WriteFile("nginx.conf", $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{dir.Path}}/nginx.pid;
            error_log stderr info;
            events { worker_connections 1024; }
            {{httpBlock}}
            {{streamBlock}}
            """);
        return await ExternalProcess.StartListeningAsync("nginx", ["-p", dir.Path, "-c", config, "-e", "stderr"], dir, listenPorts);
    }
}
