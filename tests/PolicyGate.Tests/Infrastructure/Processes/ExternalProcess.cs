using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyGate.Tests.Infrastructure.Processes;

/// <summary>
/// A real external process (haproxy, nginx, openssl, ...) started for a test: output captured, bounded waits, killed with its
/// children at dispose, its temp work dir removed.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private ExternalProcess(Process process, ProcessWorkDir workDir)
    {
        _process = process;
        WorkDir = workDir;
    }

    public ProcessWorkDir WorkDir { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>stdout and stderr so far, interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> in <paramref name="workDir"/> (taking ownership of it).</summary>
    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, ProcessWorkDir workDir, bool redirectInput = false,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ProcessStartInfo info = new(ToolPath.Find(fileName))
        {
            WorkingDirectory = workDir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        Process process = new() { StartInfo = info, EnableRaisingEvents = true };
        ExternalProcess external = new(process, workDir);
        process.OutputDataReceived += (_, e) => external.Append(e.Data);
        process.ErrorDataReceived += (_, e) => external.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    /// <summary>Starts a server process and waits until it accepts on every port of <paramref name="listenPorts"/>; killed again if it does not.</summary>
    public static Task<ExternalProcess> StartListeningAsync(string fileName, IEnumerable<string> arguments, ProcessWorkDir workDir, params int[] listenPorts) =>
        StartListeningAsync(fileName, arguments, workDir, null, listenPorts);

    /// <summary>As above, with extra environment variables for the process.</summary>
    public static async Task<ExternalProcess> StartListeningAsync(string fileName, IEnumerable<string> arguments, ProcessWorkDir workDir,
        IReadOnlyDictionary<string, string>? environment, params int[] listenPorts)
    {
        ExternalProcess process = Start(fileName, arguments, workDir, environment: environment);
        try
        {
            foreach (int port in listenPorts)
            {
                await process.WaitForPortAsync(port);
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return process;
    }

    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>; throws with the output when the process died or time ran out.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan? timeout = null)
    {
        DateTime until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} before listening on {port}:\n{Output}");
            }

            using Socket probe = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not listen on {port} in time:\n{Output}");
    }

    /// <summary>Waits for the process to exit; kills it and throws when it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}:\n{Output}");
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
        WorkDir.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
