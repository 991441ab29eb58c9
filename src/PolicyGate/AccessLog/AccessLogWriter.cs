using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.AccessLog;

/// <summary>
/// The access log: the data path hands an entry to a bounded queue (no lock, no I/O, never waits; a full queue drops and
/// counts); one background task formats JSON lines and writes them in batches, flushing once per drained batch.
/// </summary>
public sealed partial class AccessLogWriter : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly Channel<AccessLogEntry> _queue;
    private readonly string _path;
    private readonly ILogger<AccessLogWriter> _logger;

    public AccessLogWriter(PolicyGateOptions options, ILogger<AccessLogWriter> logger)
    {
        Enabled = options.AccessLog.Enabled;
        _path = options.AccessLog.Path.Length == 0 ? System.IO.Path.Combine(options.DataDirectory, "access.log") : options.AccessLog.Path;
        _logger = logger;
        _queue = Channel.CreateBounded<AccessLogEntry>(
            new BoundedChannelOptions(options.AccessLog.QueueSize) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            static _ => AccessLogMetrics.Dropped.Inc());
    }

    public bool Enabled { get; }

    /// <summary>Where lines go: a file path, or "-" for stdout.</summary>
    public string Destination => _path;

    /// <summary>Queues one entry; returns at once.</summary>
    public void Write(AccessLogEntry entry)
    {
        if (Enabled)
        {
            _queue.Writer.TryWrite(entry);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        await Task.Yield();
        Stream? sink = null;
        try
        {
            sink = OpenSink();
            Log.Writing(_logger, _path);
            await DrainAsync(sink, stoppingToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.SinkFailed(_logger, _path, e.Message);
            while (_queue.Reader.TryRead(out _))
            {
                AccessLogMetrics.Dropped.Inc();
            }
        }
        finally
        {
            if (sink is not null)
            {
                await sink.DisposeAsync();
            }
        }
    }

    private Stream OpenSink()
    {
        if (_path == AccessLogOptions.Stdout)
        {
            return Console.OpenStandardOutput();
        }

        string? dir = System.IO.Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        FileStreamOptions append = new() { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            append.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        return new FileStream(_path, append);
    }

    private async Task DrainAsync(Stream sink, CancellationToken stoppingToken)
    {
        MemoryStream buffer = new(64 * 1024);
        using Utf8JsonWriter json = new(buffer);
        ChannelReader<AccessLogEntry> reader = _queue.Reader;
        bool stopping = false;
        while (!stopping)
        {
            try
            {
                await reader.WaitToReadAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                stopping = true; // one last drain of what is queued, then stop
            }

            int count = 0;
            while (count < MaxBatch && reader.TryRead(out AccessLogEntry? entry))
            {
                Format(json, entry);
                json.Flush();
                json.Reset();
                buffer.WriteByte((byte)'\n');
                count++;
            }

            if (count > 0)
            {
                await sink.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), CancellationToken.None);
                await sink.FlushAsync(CancellationToken.None);
                AccessLogMetrics.Written.Inc(count);
                buffer.SetLength(0);
            }
        }
    }

    /// <summary>The JSON object of one line (documented in docs/operations.md, "Access log").</summary>
    public static void Format(Utf8JsonWriter json, AccessLogEntry e)
    {
        json.WriteStartObject();
        json.WriteString("ts", e.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteString("kind", e.Kind);
        json.WriteString("conn", e.ConnectionId);
        Optional(json, "request_id", e.RequestId);
        Optional(json, "client", e.Client);
        Optional(json, "sni", e.Sni);
        Optional(json, "mode", e.Mode);
        Optional(json, "app", e.App);
        Optional(json, "instance", e.Instance);
        if (e.Port is { } port)
        {
            json.WriteNumber("port", port);
        }

        Optional(json, "method", e.Method);
        Optional(json, "path", e.Path);
        Optional(json, "proto", e.Protocol);
        if (e.Status is { } status)
        {
            json.WriteNumber("status", status);
        }

        Optional(json, "outcome", e.Outcome);
        Optional(json, "reason", e.Reason);
        Optional(json, "verdict", e.Verdict);
        if (e.BytesIn is { } bytesIn)
        {
            json.WriteNumber("bytes_in", bytesIn);
        }

        if (e.BytesOut is { } bytesOut)
        {
            json.WriteNumber("bytes_out", bytesOut);
        }

        json.WriteNumber("duration_ms", Math.Round(e.DurationMs, 3));
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.AccessLogWriting, Level = LogLevel.Information, Message = "access log: {Path}")]
        public static partial void Writing(ILogger logger, string path);

        [LoggerMessage(EventId = LogEvents.AccessLogSinkFailed, Level = LogLevel.Error, Message = "access log {Path} failed, entries are dropped until restart: {Reason}")]
        public static partial void SinkFailed(ILogger logger, string path, string reason);
    }
}
