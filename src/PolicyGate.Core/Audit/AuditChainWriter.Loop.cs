using System.Buffers;

namespace PolicyGate.Core.Audit;

/// <summary>The single background writer: ordering, batching, rotation, fsync policy and checkpoints.</summary>
public sealed partial class AuditChainWriter
{
    private const int MaxBatchBytes = 1024 * 1024;
    private static readonly TimeSpan s_syncInterval = TimeSpan.FromSeconds(1);

    // State below is touched only by the writer task (and the constructor before it starts).
    private readonly PriorityQueue<PendingEntry, long> _early = new();
    private readonly List<ControlRequest> _controls = [];
    private readonly List<PendingEntry> _durableWaiting = [];
    private readonly ArrayBufferWriter<byte> _batch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(4 * 1024);
    private FileStream _segment = null!;
    private FileStream? _checkpoints;
    private long _segmentLength;
    private long _written;
    private long _synced;
    private string _headMac;
    private DateTimeOffset _lastSync;
    private DateTimeOffset _lastTimestamp;
    private DateTimeOffset _nextCheckpoint;
    private Task<bool>? _pendingWait;

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                while (_channel.Reader.TryRead(out WriterItem? item))
                {
                    if (item is PendingEntry entry)
                    {
                        _early.Enqueue(entry, entry.Seq);
                    }
                    else
                    {
                        _controls.Add((ControlRequest)item);
                    }
                }
                WriteReadyEntries();
                if (ServeControls())
                {
                    return;
                }
                DateTimeOffset now = _options.TimeProvider.GetUtcNow();
                if (_synced < _written && (_options.Fsync == AuditFsyncMode.Always || _durableWaiting.Count > 0 || now - _lastSync >= s_syncInterval))
                {
                    Sync();
                }
                if (now >= _nextCheckpoint)
                {
                    WriteCheckpoint();
                }
                await WaitForWorkAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _options.OnWarning?.Invoke($"audit: writer stopped: {e.Message}");
            FailWaiters(e);
        }
        finally
        {
            _channel.Writer.TryComplete();
            _segment.Dispose();
            _checkpoints?.Dispose();
        }
    }

    private async Task WaitForWorkAsync()
    {
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        TimeSpan wait = _nextCheckpoint - now;
        if (_synced < _written)
        {
            TimeSpan untilSync = _lastSync + s_syncInterval - now;
            wait = untilSync < wait ? untilSync : wait;
        }
        _pendingWait ??= _channel.Reader.WaitToReadAsync().AsTask();
        if (!_pendingWait.IsCompleted && wait > TimeSpan.Zero)
        {
            if (wait.TotalMilliseconds > int.MaxValue)
            {
                wait = TimeSpan.FromMilliseconds(int.MaxValue);
            }
            using CancellationTokenSource timeout = new();
            Task delay = Task.Delay(wait, _options.TimeProvider, timeout.Token);
            await Task.WhenAny(_pendingWait, delay).ConfigureAwait(false);
            timeout.Cancel();
        }
        if (_pendingWait.IsCompleted)
        {
            _pendingWait = null;
        }
    }

    private void WriteReadyEntries()
    {
        _batch.ResetWrittenCount();
        long batchFirst = _written + 1;
        while (_early.TryPeek(out PendingEntry? next, out long seq) && seq == _written + 1)
        {
            int before = _batch.WrittenCount;
            // ts is taken at Enqueue; racing callers may take seqs in the other order, so keep ts non-decreasing in file order.
            _lastTimestamp = next.Timestamp > _lastTimestamp ? next.Timestamp : _lastTimestamp;
            string mac = AuditEntryEncoder.WriteLine(seq, _lastTimestamp, _options.NodeId, _options.HmacKey, next.Audit, next.Details, _headMac, _scratch, _batch);
            if (_segmentLength + before > 0 && _segmentLength + _batch.WrittenCount > _options.SegmentMaxBytes)
            {
                // This line would overflow the segment: write what precedes it, then start the next segment with it.
                WriteBatchPrefix(before, batchFirst, seq - 1);
                Sync();
                OpenSegment(null, seq);
                batchFirst = seq;
            }
            _early.Dequeue(); // only now: if anything above throws, FailWaiters still finds this entry's waiter
            _headMac = mac;
            _written = seq;
            if (next.Durable is not null)
            {
                _durableWaiting.Add(next);
            }
            if (_batch.WrittenCount >= MaxBatchBytes)
            {
                WriteBatchPrefix(_batch.WrittenCount, batchFirst, _written);
                batchFirst = _written + 1;
            }
        }
        if (_batch.WrittenCount > 0)
        {
            WriteBatchPrefix(_batch.WrittenCount, batchFirst, _written);
        }
    }

    /// <summary>Writes the first <paramref name="count"/> batch bytes (entries first..last) and keeps the rest for the next segment.</summary>
    private void WriteBatchPrefix(int count, long first, long last)
    {
        if (count > 0)
        {
            _segment.Write(_batch.WrittenSpan[..count]);
            _segmentLength += count;
            Interlocked.Exchange(ref _lastWrittenSeq, last);
            for (long seq = first; seq <= last; seq++)
            {
                _options.OnEntryWritten?.Invoke(seq);
            }
        }
        byte[] rest = _batch.WrittenSpan[count..].ToArray();
        _batch.ResetWrittenCount();
        _batch.Write(rest);
    }

    private bool ServeControls()
    {
        for (int i = 0; i < _controls.Count; i++)
        {
            ControlRequest request = _controls[i];
            if (request.Barrier > _written)
            {
                continue;
            }
            _controls.RemoveAt(i--);
            Sync();
            if (request.Kind != ControlKind.Flush)
            {
                WriteCheckpoint();
            }
            request.Done.TrySetResult();
            if (request.Kind == ControlKind.Close)
            {
                foreach (ControlRequest other in _controls)
                {
                    other.Done.TrySetException(new ObjectDisposedException(nameof(AuditChainWriter)));
                }
                return true;
            }
        }
        return false;
    }

    private void Sync()
    {
        if (_synced < _written)
        {
            _segment.Flush(flushToDisk: true);
            _synced = _written;
        }
        _lastSync = _options.TimeProvider.GetUtcNow();
        foreach (PendingEntry entry in _durableWaiting)
        {
            entry.Durable!.TrySetResult(entry.Seq);
        }
        _durableWaiting.Clear();
    }

    private void WriteCheckpoint()
    {
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        _nextCheckpoint = NextCheckpointAfter(now);
        if (_options.SigningKey is null)
        {
            return;
        }
        _checkpoints ??= new FileStream(Path.Combine(_options.Directory, AuditChainFormat.CheckpointsFile),
            FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1);
        _checkpoints.Write(AuditChainFormat.BuildCheckpointLine(_written, _headMac, now, _options.NodeId, _options.SigningKey));
        _checkpoints.Flush(flushToDisk: true);
        _options.OnCheckpointWritten?.Invoke(_written, now);
    }

    private DateTimeOffset NextCheckpointAfter(DateTimeOffset now) =>
        _options.CheckpointEvery is { } every && every > TimeSpan.Zero ? now + every : DateTimeOffset.MaxValue;

    private void OpenSegment(string? existing, long firstSeq)
    {
        _segment?.Dispose();
        // Append, never truncate: an empty segment left by a crash right after a rotation is simply reused.
        string path = existing ?? Path.Combine(_options.Directory, AuditChainFormat.SegmentName(firstSeq));
        _segment = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1);
        _segmentLength = _segment.Length;
    }

    private void FailWaiters(Exception e)
    {
        foreach (PendingEntry entry in _durableWaiting)
        {
            entry.Durable!.TrySetException(e);
        }
        while (_early.TryDequeue(out PendingEntry? entry, out _))
        {
            entry.Durable?.TrySetException(e);
        }
        foreach (ControlRequest request in _controls)
        {
            request.Done.TrySetException(e);
        }
        while (_channel.Reader.TryRead(out WriterItem? item))
        {
            if (item is PendingEntry pending)
            {
                pending.Durable?.TrySetException(e);
            }
            else
            {
                ((ControlRequest)item).Done.TrySetException(e);
            }
        }
    }
}
