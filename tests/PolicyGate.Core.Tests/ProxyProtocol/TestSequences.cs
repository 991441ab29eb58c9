using System.Buffers;

namespace PolicyGate.Core.Tests.ProxyProtocol;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s the way a pipe hands them out.</summary>
internal static class TestSequences
{
    /// <summary>Splits <paramref name="data"/> at the given ascending offsets (empty segments allowed).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, params int[] cuts)
    {
        var first = new Segment(data[..(cuts.Length == 0 ? data.Length : cuts[0])].ToArray(), 0);
        Segment last = first;
        for (int i = 0; i < cuts.Length; i++)
        {
            int end = i + 1 < cuts.Length ? cuts[i + 1] : data.Length;
            last = last.Append(data[cuts[i]..end].ToArray());
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the worst case for a span-based parser.</summary>
    public static ReadOnlySequence<byte> BytePerSegment(ReadOnlySpan<byte> data) =>
        data.Length == 0 ? ReadOnlySequence<byte>.Empty : Split(data, Enumerable.Range(1, data.Length - 1).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
