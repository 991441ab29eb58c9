using System.Threading.Channels;

namespace PolicyGate.Egress;

/// <summary>Non-blocking hand-off of learned/pending sightings from the proxy to the background writer (drops when full).</summary>
public sealed class EgressObservationQueue
{
    private readonly Channel<EgressObservation> _channel = Channel.CreateBounded<EgressObservation>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Record(EgressObservation observation) => _channel.Writer.TryWrite(observation);

    public ChannelReader<EgressObservation> Reader => _channel.Reader;
}
