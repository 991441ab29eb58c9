using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Cli;

/// <summary>What the README promises for --demo, through the real edge: `/` passes, `/pii` is blocked, the TCP echo answers.</summary>
public sealed class DemoEndToEndTests
{
    [Fact]
    public async Task Demo_is_curlable_through_the_edge_with_pii_blocked()
    {
        DemoOptions demo = new(TestNode.FreePort(), TestNode.FreePort());
        await using TestNode node = await TestNode.StartAsync(TestNode.CreateOptions(o => o.Demo = true), services => services.AddSingleton(demo));
        Assert.True(await node.Service<DemoHostedService>().Registered.WaitAsync(TimeSpan.FromSeconds(30)));
        IPEndPoint edge = node.EdgeEndPoint;

        using HttpClient client = EdgeHttpClient.Create(edge, $"demo-{demo.HttpPort}.localhost");

        HttpResponseMessage ok = await client.GetAsync("/");
        string okBody = await ok.Content.ReadAsStringAsync();
        Assert.True(ok.StatusCode == HttpStatusCode.OK, okBody);
        using (JsonDocument root = JsonDocument.Parse(okBody))
        {
            Assert.Equal("demo", root.RootElement.GetProperty("app").GetString());
        }

        HttpResponseMessage blocked = await client.GetAsync("/pii");
        string blockedBody = await blocked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.DoesNotContain("4111", blockedBody, StringComparison.Ordinal);
        Assert.True(blocked.Headers.TryGetValues("X-PolicyGate-Blocked", out IEnumerable<string>? detector));
        Assert.Contains(detector!.Single(), new[] { "credit_card", "email" });

        using TcpClient tcp = new();
        await tcp.ConnectAsync(edge);
        await using SslStream tls = new(tcp.GetStream(), false, static (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = $"demo-{demo.TcpPort}.localhost" });
        byte[] line = Encoding.ASCII.GetBytes("echo through the edge\n");
        await tls.WriteAsync(line);
        byte[] back = new byte[line.Length];
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
        await tls.ReadExactlyAsync(back, cts.Token);
        Assert.Equal(line, back);
    }
}
