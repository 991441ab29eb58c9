using System.Collections.Concurrent;
using System.Threading.Channels;

namespace PolicyGate.Store;

/// <summary>Pending lazy port-policy fetches: at most one per instance queued or running; requesting never blocks.</summary>
public sealed class PortPolicyFetchQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    internal ChannelReader<string> Reader => _channel.Reader;

    /// <summary>Queues a fetch unless one for this instance is already queued or running; true when queued now.</summary>
    public bool Request(string instanceId)
    {
        if (!_pending.TryAdd(instanceId, 0))
        {
            return false;
        }

        _channel.Writer.TryWrite(instanceId);
        return true;
    }

    /// <summary>Whether a fetch for the instance is queued or running.</summary>
    public bool IsPending(string instanceId) => _pending.ContainsKey(instanceId);

    internal void Done(string instanceId) => _pending.TryRemove(instanceId, out _);
}
