namespace PolicyGate.Tests.Infrastructure.Processes;

/// <summary>Starts a real HAProxy in the foreground with a generated config (global/defaults included; pass frontends/backends/listens).</summary>
public static class HaproxyProcess
{
    /// <summary>Starts haproxy with <paramref name="sections"/> and waits until it listens on every port of <paramref name="listenPorts"/>.</summary>
    public static async Task<ExternalProcess> StartAsync(string sections, params int[] listenPorts)
    {
        ProcessWorkDir dir = new("haproxy");
        string config = dir.WriteFile("haproxy.cfg", $"""
            global
                log stderr format short local0 info
                maxconn 4096
                pidfile {dir.File("haproxy.pid")}

            defaults
                mode tcp
                log global
                timeout connect 5s
                timeout client 60s
                timeout server 60s

            {sections}

            """ + "\n");
        return await ExternalProcess.StartListeningAsync("haproxy", ["-db", "-f", config], dir, listenPorts);
    }
}
