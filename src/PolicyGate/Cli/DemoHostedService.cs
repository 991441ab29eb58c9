using PolicyGate.Core.Policy;
using PolicyGate.Operations;
using PolicyGate.Store;

namespace PolicyGate.Cli;

/// <summary>Runs the --demo backends with the node and registers them as app `demo` (instance `demo1`) once the node has started.</summary>
public sealed partial class DemoHostedService(
    DemoOptions options,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<DemoHostedService> logger) : IHostedService
{
    private DemoBackends? _backends;

    /// <summary>Completes when the demo app is registered (or registration failed; see the log).</summary>
    public Task<bool> Registered => _registered.Task;

    private readonly TaskCompletionSource<bool> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        DemoBackends backends = new(options);
        try
        {
            await backends.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await backends.DisposeAsync();
            throw new InvalidOperationException($"--demo: cannot listen on 127.0.0.1:{options.HttpPort} / 127.0.0.1:{options.TcpPort}: {e.Message}", e);
        }

        _backends = backends;
        Log.Started(logger, options.HttpPort, options.TcpPort);
        lifetime.ApplicationStarted.Register(() => _ = RegisterAsync(lifetime.ApplicationStopping));
    }

    /// <summary>The registration the demo uses: restrict_mode with the http and tcp ports listed.</summary>
    public static InstanceRegistration CreateRegistration(DemoOptions options) => new(
        DemoOptions.InstanceId,
        DemoOptions.AppId,
        TenantId: null,
        DemoOptions.Address,
        AgentUrl: null,
        ComposeHash: null,
        new PortPolicy([new PortRule(options.HttpPort, Protocol: "http"), new PortRule(options.TcpPort, Protocol: "tcp")], restrictMode: true));

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        IInstanceRegistrar? registrar = services.GetService<IInstanceRegistrar>();
        if (registrar is null)
        {
            Log.NoRegistrar(logger);
            _registered.TrySetResult(false);
            return;
        }

        try
        {
            await registrar.RegisterAsync(CreateRegistration(options), "demo", cancellationToken);
            Log.Registered(logger, DemoOptions.AppId, DemoOptions.InstanceId);
            _registered.TrySetResult(true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RegistrationFailed(logger, e.Message);
            _registered.TrySetResult(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_backends is not null)
        {
            await _backends.DisposeAsync();
            _backends = null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.DemoStarted, LogLevel.Information, "Demo backends: http on 127.0.0.1:{HttpPort}, tcp echo on 127.0.0.1:{TcpPort}")]
        public static partial void Started(ILogger logger, int httpPort, int tcpPort);

        [LoggerMessage(LogEvents.DemoRegistered, LogLevel.Information, "Demo: registered app {App} (instance {Instance})")]
        public static partial void Registered(ILogger logger, string app, string instance);

        [LoggerMessage(LogEvents.DemoNoRegistrar, LogLevel.Warning, "Demo: no instance registry in this build; app `demo` is not registered")]
        public static partial void NoRegistrar(ILogger logger);

        [LoggerMessage(LogEvents.DemoRegistrationFailed, LogLevel.Error, "Demo: registering app `demo` failed: {Reason}")]
        public static partial void RegistrationFailed(ILogger logger, string reason);
    }
}
