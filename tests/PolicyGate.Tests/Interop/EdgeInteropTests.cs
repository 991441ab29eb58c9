using System.Net;
using System.Text;
using PolicyGate.Core.Policy;
using PolicyGate.Tests.Edge;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Interop;

/// <summary>
/// The edge against real peers: HAProxy in front (send-proxy, send-proxy-v2), curl --haproxy-protocol, an nginx backend with
/// `listen … proxy_protocol` reporting $proxy_protocol_addr, and openssl s_client -servername.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeInteropTests
{
    /// <summary>nginx: one pp listener answering "$proxy_protocol_addr:$proxy_protocol_port" (and logging it), one plain listener.</summary>
    private static Task<ExternalProcess> StartNginxAsync(int ppPort, int plainPort) => NginxProcess.StartAsync(
        http: $$"""
            log_format pp '$proxy_protocol_addr $proxy_protocol_port "$request"';
            server {
                listen 127.0.0.1:{{ppPort}} proxy_protocol;
                access_log {dir}/pp.log pp;
                location / { return 200 "pp $proxy_protocol_addr:$proxy_protocol_port\n"; }
            }
            server {
                listen 127.0.0.1:{{plainPort}};
                location / { return 200 "plain $remote_addr\n"; }
            }
            """,
        stream: null,
        ppPort, plainPort);

    [Theory]
    [InlineData("send-proxy", 1)]
    [InlineData("send-proxy-v2", 2)]
    public async Task HAProxy_in_front_the_nginx_backend_sees_the_original_client(string sendProxy, int version)
    {
        int ppPort = TestNode.FreePort();
        int plainPort = TestNode.FreePort();
        int haproxyPort = TestNode.FreePort();
        await using ExternalProcess nginx = await StartNginxAsync(ppPort, plainPort);
        System.Collections.Concurrent.ConcurrentQueue<PolicyGate.Core.ProxyProtocol.ProxyHeader?> headers = new();
        await using LoopbackBackend recorder = ProxyHeaderRecorder.Start(headers);
        await using EdgeNode node = await EdgeNode.StartAsync(o => o.Edge.InboundProxyProtocol = true);
        await node.RegisterAsync("web1", "web", EdgeNode.Only(
            new PortRule(ppPort, Pp: true, Protocol: "tcp"), new PortRule(recorder.Port, Pp: true, Protocol: "tcp")));
        await using ExternalProcess haproxy = await HaproxyProcess.StartAsync($"""
            listen edge_in
                bind 127.0.0.1:{haproxyPort}
                server pg {node.Edge} {sendProxy}
            """, haproxyPort);

        // The client comes from 127.0.0.2; HAProxy connects to PolicyGate from 127.0.0.1.
        await using EdgeClient client = await EdgeClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, haproxyPort), $"web-{ppPort}.localhost", bindTo: IPAddress.Parse("127.0.0.2"));
        string body = await HttpGetAsync(client);

        int clientPort = ((IPEndPoint)client.Socket.LocalEndPoint!).Port;
        Assert.Contains($"pp 127.0.0.2:{clientPort}\n", body, StringComparison.Ordinal);
        await WaitForFileContainsAsync(nginx.WorkDir.File("pp.log"), $"127.0.0.2 {clientPort} ");

        // The header PolicyGate forwards has the version HAProxy used (v1 in → v1 out, v2 in → v2 out).
        await using EdgeClient second = await EdgeClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, haproxyPort), $"web-{recorder.Port}.localhost", bindTo: IPAddress.Parse("127.0.0.2"));
        await second.Ssl.WriteAsync("ping\n"u8.ToArray());
        byte[] reply = new byte[3];
        await second.Ssl.ReadExactlyAsync(reply).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        PolicyGate.Core.ProxyProtocol.ProxyHeader forwarded = Assert.Single(headers)!;
        Assert.Equal(version, forwarded.Version);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), ((IPEndPoint)second.Socket.LocalEndPoint!).Port), forwarded.Source);
    }

    [Fact]
    public async Task Curl_haproxy_protocol_client_address_reaches_the_pp_backend()
    {
        int ppPort = TestNode.FreePort();
        int plainPort = TestNode.FreePort();
        await using ExternalProcess nginx = await StartNginxAsync(ppPort, plainPort);
        await using EdgeNode node = await EdgeNode.StartAsync(o =>
        {
            o.Edge.InboundProxyProtocol = true;
            o.Edge.TrustedProxies = ["127.0.0.0/8"]; // curl connects from 127.0.0.2
        });
        await node.RegisterAsync("web1", "web", EdgeNode.Only(new PortRule(ppPort, Pp: true, Protocol: "tcp")));
        string host = $"web-{ppPort}.localhost";

        (int exit, string output) = await ToolRun.RunAsync("curl", [
            "-sS", "-k", "--max-time", "15", "--haproxy-protocol", "--interface", "127.0.0.2",
            "--connect-to", $"{host}:443:127.0.0.1:{node.Edge.Port}", $"https://{host}/"]);

        Assert.True(exit == 0, output);
        Assert.StartsWith("pp 127.0.0.2:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nginx_backend_gets_no_header_on_a_pp_false_port()
    {
        int ppPort = TestNode.FreePort();
        int plainPort = TestNode.FreePort();
        await using ExternalProcess nginx = await StartNginxAsync(ppPort, plainPort);
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("web1", "web", EdgeNode.Only(new PortRule(plainPort, Pp: false, Protocol: "tcp")));

        await using EdgeClient client = await EdgeClient.ConnectAsync(node.Edge, $"web-{plainPort}.localhost");
        string body = await HttpGetAsync(client);

        // A stray PROXY header would have made nginx answer 400 instead.
        Assert.StartsWith("HTTP/1.1 200", body, StringComparison.Ordinal);
        Assert.Contains("plain 127.0.0.1\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_s_client_servername_reaches_a_server_first_service_and_unknown_names_get_no_certificate()
    {
        // Server-first like SSH: the banner comes before the client says anything; then it hangs up (s_client exits then).
        await using LoopbackBackend ssh = new(async (socket, ct) =>
        {
            await socket.SendAsync("SSH-2.0-OpenSSH_9.2 fake\r\n"u8.ToArray(), System.Net.Sockets.SocketFlags.None, ct);
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        await using EdgeNode node = await EdgeNode.StartAsync();
        await node.RegisterAsync("vm1", "vm", EdgeNode.Only(new PortRule(ssh.Port, Protocol: "tcp")));

        (int exit, string output) = await ToolRun.RunAsync("openssl", [
            "s_client", "-connect", node.Edge.ToString(), "-servername", $"vm-{ssh.Port}.localhost", "-quiet"], stdin: "");
        Assert.Contains("SSH-2.0-OpenSSH_9.2 fake", output, StringComparison.Ordinal);
        Assert.Equal(0, exit);

        (int badExit, string badOutput) = await ToolRun.RunAsync("openssl", [
            "s_client", "-connect", node.Edge.ToString(), "-servername", "nosuch-22.localhost"], stdin: "");
        Assert.NotEqual(0, badExit);
        Assert.Contains("no peer certificate available", badOutput, StringComparison.Ordinal);
    }

    private static async Task<string> HttpGetAsync(EdgeClient client)
    {
        await client.Ssl.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray());
        (byte[] data, _) = await EdgeClient.ReadToEndAsync(client.Ssl, TimeSpan.FromSeconds(15));
        return Encoding.ASCII.GetString(data);
    }

    private static async Task WaitForFileContainsAsync(string file, string text)
    {
        for (int i = 0; i < 100; i++)
        {
            if (File.Exists(file) && (await File.ReadAllTextAsync(file)).Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{file} never contained '{text}': {(File.Exists(file) ? File.ReadAllText(file) : "(missing)")}");
    }
}
