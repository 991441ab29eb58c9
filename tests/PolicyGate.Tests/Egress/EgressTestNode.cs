using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Store;

namespace PolicyGate.Tests.Egress;

/// <summary>A TestNode with the egress proxy on a free loopback port, plus raw-socket and admin helpers.</summary>
internal sealed class EgressTestNode : IAsyncDisposable
{
    private EgressTestNode(TestNode node, RecordingAuditLog audit)
    {
        Node = node;
        Audit = audit;
    }

    public TestNode Node { get; }
    public RecordingAuditLog Audit { get; }
    public string Proxy => Node.Options.Egress.Listen;
    public IPEndPoint ProxyEndPoint => ListenAddress.Parse(Proxy);

    /// <summary>Starts a node; with <paramref name="recordAudit"/> false the real audit chain is kept (files under data_dir/audit).</summary>
    public static async Task<EgressTestNode> StartAsync(bool builtinLoopback = false, string defaultMode = "strict", bool recordAudit = true,
        TimeSpan? idle = null,
        TimeSpan? connect = null,
        List<string>? trustedIdentitySources = null)
    {
        PolicyGateOptions options = TestNode.CreateOptions(o =>
        {
            o.Egress.Listen = "127.0.0.1:" + TestNode.FreePort();
            o.Egress.BuiltinLoopback = builtinLoopback;
            o.Egress.DefaultMode = defaultMode;
            o.Edge.Timeouts.Idle = idle ?? o.Edge.Timeouts.Idle;
            o.Edge.Timeouts.Connect = connect ?? o.Edge.Timeouts.Connect;
            o.Egress.TrustedIdentitySources = trustedIdentitySources;
        });
        RecordingAuditLog audit = new();
        // The recorder replaces the chain so tests can assert entries directly; EgressIdentityTests reads the real chain's files.
        TestNode node = await TestNode.StartAsync(options, services =>
        {
            if (recordAudit)
            {
                services.AddSingleton<IAuditLog>(audit);
            }
        });
        return new EgressTestNode(node, audit);
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using HttpRequestMessage request = new(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await Node.Admin.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Sends raw bytes to the proxy and reads one answer: its head, then Content-Length body bytes (none for a 200 CONNECT).</summary>
    public async Task<ProxyResponse> RawAsync(string head) => await RawAsync(Encoding.ASCII.GetBytes(head));

    public async Task<ProxyResponse> RawAsync(byte[] request)
    {
        using TcpClient client = new();
        await client.ConnectAsync(ProxyEndPoint);
        NetworkStream stream = client.GetStream();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));
        try
        {
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // The proxy may answer and close before reading all of an oversized request.
        }

        List<byte> all = [];
        byte[] buffer = new byte[4096];
        while (true)
        {
            string text = Encoding.UTF8.GetString(all.ToArray());
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                ProxyResponse response = Parse(text);
                int length = int.Parse(response.Headers.GetValueOrDefault("Content-Length", "0"));
                if (Encoding.UTF8.GetByteCount(response.Body) >= length)
                {
                    return response;
                }
            }

            int n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                return Parse(Encoding.UTF8.GetString(all.ToArray()));
            }

            all.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>CONNECT as <paramref name="user"/> (Basic proxy auth) and read the answer to the CONNECT.</summary>
    public Task<ProxyResponse> ConnectAsync(string user, string target) =>
        RawAsync($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nProxy-Authorization: Basic {Basic(user)}\r\n\r\n");

    public static string Basic(string user) => Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":secret"));

    /// <summary>Polls <paramref name="condition"/> (bounded) until true.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    private static ProxyResponse Parse(string text)
    {
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return new ProxyResponse(0, [], text);
        }

        string[] lines = text[..end].Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1]);
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return new ProxyResponse(status, headers, text[(end + 4)..]);
    }
}
