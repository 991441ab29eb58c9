using System.Buffers;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace PolicyGate.Core.Audit;

/// <summary>
/// Appends HMAC-chained entries to size-rotated segments from one background task (DESIGN §11).
/// Enqueue takes a seq with one interlocked increment and never waits; the writer puts entries back in seq order,
/// so seq order is file order whatever the interleaving of callers.
/// </summary>
public sealed partial class AuditChainWriter : IAuditLog, IAsyncDisposable
{
    private readonly AuditChainOptions _options;
    private readonly Channel<WriterItem> _channel = Channel.CreateUnbounded<WriterItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly Task _loop;
    private long _allocated;
    private long _lastWrittenSeq;
    private volatile bool _closing;
    private volatile Exception? _failure;

    private AuditChainWriter(AuditChainOptions options, AuditChainHead head)
    {
        _options = options;
        _allocated = head.LastSeq;
        _lastWrittenSeq = head.LastSeq;
        _written = head.LastSeq;
        _synced = head.LastSeq;
        _headMac = head.LastMac;
        OpenSegment(head.SegmentPath, head.SegmentFirstSeq);
        _lastSync = options.TimeProvider.GetUtcNow();
        _nextCheckpoint = NextCheckpointAfter(_lastSync);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Opens (or creates) the chain in options.Directory, continuing seq and prev after a restart.</summary>
    public static AuditChainWriter Open(AuditChainOptions options)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(options.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            System.IO.Directory.CreateDirectory(options.Directory);
        }
        AuditChainHead head = AuditChainRecovery.Recover(options.Directory, options.TimeProvider);
        AuditChainWriter writer = new(options, head);
        foreach (AuditTornTail torn in head.TornTails)
        {
            options.OnWarning?.Invoke($"audit: {torn.File}: torn last line ({torn.Bytes} bytes at offset {torn.Offset}) moved to {torn.PreservedAs}");
            writer.Enqueue(new AuditEvent("audit.recovery", "recover", "torn tail", torn.File, null, new JsonObject
            {
                ["file"] = torn.File,
                ["offset"] = torn.Offset,
                ["bytes"] = torn.Bytes,
                ["sha256"] = torn.Sha256,
                ["preserved_as"] = torn.PreservedAs,
            }));
        }
        return writer;
    }

    /// <summary>The HMAC key id written in each entry.</summary>
    public string KeyId => _options.HmacKey.KeyId;

    /// <summary>The directory the chain is written to.</summary>
    public string Directory => _options.Directory;

    /// <summary>The highest seq written to the file so far (not necessarily fsynced).</summary>
    public long LastWrittenSeq => Interlocked.Read(ref _lastWrittenSeq);

    /// <summary>The writer's failure, if it stopped on an I/O error.</summary>
    public Exception? Failure => _failure;

    /// <summary>Queues an entry without blocking; returns its seq, or -1 when the writer is closed or has failed (entry dropped).</summary>
    public long Enqueue(AuditEvent entry) => Submit(entry, null);

    public async ValueTask<long> AppendDurableAsync(AuditEvent entry, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<long> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Submit(entry, done);
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes once every entry enqueued before the call is written and fsynced.</summary>
    public Task FlushAsync() => Control(ControlKind.Flush);

    /// <summary>Writes a signed checkpoint of the current head now (after every entry enqueued before the call).</summary>
    public Task CheckpointAsync() => Control(ControlKind.Checkpoint);

    /// <summary>Flushes, writes a final checkpoint and closes the files; later entries are dropped.</summary>
    public async Task CloseAsync()
    {
        if (!_closing)
        {
            Task closed = Control(ControlKind.Close);
            _closing = true;
            await closed.ConfigureAwait(false);
        }
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        catch (Exception) when (_failure is not null)
        {
            // already reported through OnWarning
        }
    }

    private long Submit(AuditEvent entry, TaskCompletionSource<long>? durable)
    {
        if (_closing || _failure is not null)
        {
            durable?.TrySetException(_failure is null ? new ObjectDisposedException(nameof(AuditChainWriter)) : new IOException("audit chain writer failed", _failure));
            return -1;
        }
        // Everything that can fail happens before the seq is taken: a taken seq must always reach the writer.
        PendingEntry pending = new(entry, entry.Details?.DeepClone().AsObject(), _options.TimeProvider.GetUtcNow(), durable);
        pending.Seq = Interlocked.Increment(ref _allocated);
        _channel.Writer.TryWrite(pending);
        return pending.Seq;
    }

    private Task Control(ControlKind kind)
    {
        if (_failure is not null)
        {
            return Task.FromException(new IOException("audit chain writer failed", _failure));
        }
        if (_closing)
        {
            return kind == ControlKind.Close ? _loop : Task.FromException(new ObjectDisposedException(nameof(AuditChainWriter)));
        }
        ControlRequest request = new(kind, Interlocked.Read(ref _allocated));
        _channel.Writer.TryWrite(request);
        return request.Done.Task;
    }

    private abstract class WriterItem;

    private sealed class PendingEntry(AuditEvent audit, JsonObject? details, DateTimeOffset ts, TaskCompletionSource<long>? durable) : WriterItem
    {
        public long Seq;
        public AuditEvent Audit { get; } = audit;
        public JsonObject? Details { get; } = details;
        public DateTimeOffset Timestamp { get; } = ts;
        public TaskCompletionSource<long>? Durable { get; } = durable;
    }

    private enum ControlKind
    {
        Flush,
        Checkpoint,
        Close,
    }

    private sealed class ControlRequest(ControlKind kind, long barrier) : WriterItem
    {
        public ControlKind Kind { get; } = kind;

        /// <summary>Entries up to this seq were enqueued before the request and must be written first.</summary>
        public long Barrier { get; } = barrier;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
