using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PolicyGate.Operations;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

/// <summary>WATCHDOG=1 datagrams reach $NOTIFY_SOCKET while the self-check passes and stop while it fails.</summary>
public sealed class SystemdWatchdogTests
{
    [Fact]
    public void Settings_come_from_the_systemd_environment()
    {
        Dictionary<string, string> env = new() { ["NOTIFY_SOCKET"] = "/run/systemd/notify", ["WATCHDOG_USEC"] = "20000000" };
        WatchdogSettings? settings = WatchdogSettings.FromEnvironment(env.GetValueOrDefault, 42);
        Assert.Equal(new WatchdogSettings("/run/systemd/notify", TimeSpan.FromSeconds(10)), settings);

        env["WATCHDOG_PID"] = "41";
        Assert.Null(WatchdogSettings.FromEnvironment(env.GetValueOrDefault, 42));
        env["WATCHDOG_PID"] = "42";
        Assert.NotNull(WatchdogSettings.FromEnvironment(env.GetValueOrDefault, 42));
        env.Remove("WATCHDOG_USEC");
        Assert.Null(WatchdogSettings.FromEnvironment(env.GetValueOrDefault, 42));
        env["WATCHDOG_USEC"] = "abc";
        Assert.Null(WatchdogSettings.FromEnvironment(env.GetValueOrDefault, 42));
    }

    [Fact]
    public async Task Pings_only_while_the_self_check_passes()
    {
        await using TestNode node = await TestNode.StartAsync();
        using TempDirectory dir = new();
        string socketPath = Path.Combine(dir.Path, "notify");
        using Socket receiver = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(socketPath));

        StaticReadinessCheck check = new("store", null);
        using SelfCheck selfCheck = new(new ReadinessEvaluator([check]), PolicyGate.Configuration.ListenAddress.Parse(node.Options.Metrics.Listen));
        using SystemdWatchdogService watchdog = new(
            new WatchdogSettings(socketPath, TimeSpan.FromMilliseconds(100)), selfCheck, NullLogger<SystemdWatchdogService>.Instance);
        await watchdog.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal("WATCHDOG=1", await ReceiveAsync(receiver, TimeSpan.FromSeconds(10)));
            Assert.Equal("WATCHDOG=1", await ReceiveAsync(receiver, TimeSpan.FromSeconds(10)));

            check.Reason = "store unreachable";
            await Task.Delay(500);
            Drain(receiver);
            Assert.Null(await ReceiveAsync(receiver, TimeSpan.FromSeconds(1)));

            check.Reason = null;
            Assert.Equal("WATCHDOG=1", await ReceiveAsync(receiver, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await watchdog.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Stays_silent_when_the_metrics_listener_does_not_answer()
    {
        using TempDirectory dir = new();
        string socketPath = Path.Combine(dir.Path, "notify");
        using Socket receiver = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(socketPath));
        PolicyGate.Configuration.PolicyGateOptions options = TestNode.CreateOptions();
        using SelfCheck selfCheck = new(new ReadinessEvaluator([]), PolicyGate.Configuration.ListenAddress.Parse(options.Metrics.Listen));
        Assert.StartsWith("healthz: ", await selfCheck.RunAsync(CancellationToken.None));

        using SystemdWatchdogService watchdog = new(
            new WatchdogSettings(socketPath, TimeSpan.FromMilliseconds(100)), selfCheck, NullLogger<SystemdWatchdogService>.Instance);
        await watchdog.StartAsync(CancellationToken.None);
        Assert.Null(await ReceiveAsync(receiver, TimeSpan.FromSeconds(1)));
        await watchdog.StopAsync(CancellationToken.None);
    }

    private static async Task<string?> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        byte[] buffer = new byte[256];
        using CancellationTokenSource cts = new(timeout);
        try
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static void Drain(Socket socket)
    {
        byte[] buffer = new byte[256];
        for (int i = 0; i < 1000 && socket.Available > 0; i++)
        {
            socket.Receive(buffer);
        }
    }
}
