using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Cli;
using PolicyGate.Core.Policy;
using PolicyGate.Store;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Cli;

/// <summary>--demo: the JSON backend, /pii, the TCP echo, and the `demo` app registration (end to end through the edge: lead's test).</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_backends_answer_and_register_app_demo()
    {
        DemoOptions demo = new(TestNode.FreePort(), TestNode.FreePort());
        // A recording registrar shows what --demo registers; the next test uses the real registry.
        RecordingRegistrar registrar = new();
        await using TestNode node = await TestNode.StartAsync(
            TestNode.CreateOptions(o => o.Demo = true),
            services =>
            {
                services.AddSingleton(demo);
                services.AddSingleton<IInstanceRegistrar>(registrar);
            });

        (InstanceRegistration registration, string caller) = await registrar.First.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("demo", caller);
        Assert.Equal("demo1", registration.InstanceId);
        Assert.Equal("demo", registration.AppId);
        Assert.Equal("127.0.0.1", registration.Address);
        PortPolicy policy = registration.PortPolicy!;
        Assert.True(policy.RestrictMode);
        Assert.Equal(new[] { demo.HttpPort, demo.TcpPort }.Order(), policy.Ports.Select(p => p.Port));
        Assert.Equal("http", policy.Find(demo.HttpPort)!.Protocol);
        Assert.Equal("tcp", policy.Find(demo.TcpPort)!.Protocol);
        Assert.False(policy.IsAllowed(22));

        using HttpClient http = new() { BaseAddress = new Uri($"http://127.0.0.1:{demo.HttpPort}") };
        using (JsonDocument root = JsonDocument.Parse(await http.GetStringAsync("/")))
        {
            Assert.Equal("demo", root.RootElement.GetProperty("app").GetString());
            Assert.Equal("/", root.RootElement.GetProperty("path").GetString());
        }

        string pii = await http.GetStringAsync("/pii");
        Assert.Contains("4111 1111 1111 1111", pii, StringComparison.Ordinal);
        Assert.Contains("jane.doe@example.com", pii, StringComparison.Ordinal);

        using TcpClient echo = new();
        await echo.ConnectAsync("127.0.0.1", demo.TcpPort);
        NetworkStream stream = echo.GetStream();
        byte[] message = Encoding.ASCII.GetBytes("hello through the demo echo\n");
        await stream.WriteAsync(message);
        echo.Client.Shutdown(SocketShutdown.Send);
        using MemoryStream received = new();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
        await stream.CopyToAsync(received, cts.Token);
        Assert.Equal(message, received.ToArray());
    }

    [Fact]
    public async Task Demo_app_is_registered_in_the_real_registry_and_visible_through_the_admin_api()
    {
        DemoOptions demo = new(TestNode.FreePort(), TestNode.FreePort());
        await using TestNode node = await TestNode.StartAsync(TestNode.CreateOptions(o => o.Demo = true), services => services.AddSingleton(demo));
        Assert.True(await node.Service<DemoHostedService>().Registered.WaitAsync(TimeSpan.FromSeconds(30)));

        HttpResponseMessage response = await node.Admin.GetAsync("/api/v1/instances/demo1");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using JsonDocument instance = JsonDocument.Parse(text);
        Assert.Equal("demo", instance.RootElement.GetProperty("app_id").GetString());
        Assert.Equal("127.0.0.1", instance.RootElement.GetProperty("address").GetString());
        JsonElement effective = instance.RootElement.GetProperty("port_policy").GetProperty("effective");
        Assert.True(effective.GetProperty("restrict_mode").GetBoolean());
        Assert.Equal(
            new[] { demo.HttpPort, demo.TcpPort }.Order(),
            effective.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("port").GetInt32()));

        using HttpClient http = new() { BaseAddress = new Uri($"http://127.0.0.1:{demo.HttpPort}") };
        Assert.Contains("\"app\":\"demo\"", await http.GetStringAsync("/anything"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_port_in_use_fails_the_start_with_the_address()
    {
        using Socket squatter = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        squatter.Listen();
        int taken = ((System.Net.IPEndPoint)squatter.LocalEndPoint!).Port;
        DemoOptions demo = new(TestNode.FreePort(), taken);
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestNode.StartAsync(TestNode.CreateOptions(o => o.Demo = true), services => services.AddSingleton(demo)));
        Assert.Contains($"127.0.0.1:{taken}", e.Message, StringComparison.Ordinal);
    }
}
