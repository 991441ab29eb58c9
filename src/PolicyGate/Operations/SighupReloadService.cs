using System.Runtime.InteropServices;

namespace PolicyGate.Operations;

/// <summary>Reloads the configuration on SIGHUP (the signal no longer terminates the process).</summary>
public sealed class SighupReloadService(ConfigReloader reloader) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _ = Task.Run(() => reloader.ReloadAsync("SIGHUP"), CancellationToken.None);
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }
}
