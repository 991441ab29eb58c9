using System.Buffers;
using PolicyGate.Core.Tests.ProxyProtocol;
using PolicyGate.Core.Tls;
using static PolicyGate.Core.Tests.Tls.ClientHelloBuilder;

namespace PolicyGate.Core.Tests.Tls;

public sealed class ClientHelloRobustnessTests
{
    [Fact]
    public void Random_and_mutated_input_never_throws()
    {
        var random = new Random(16384);
        byte[][] seeds =
        [
            Hello(Sni("seed.localhost"), Alpn("h2", "http/1.1")),
            TwoRecords(Handshake(Body([.. Sni("two.localhost"), .. Alpn("h2")])), 7),
            Records(Handshake(Body(null))),
        ];
        var buffer = new byte[600];
        int complete = 0;
        for (int i = 0; i < 20_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                byte[] seed = seeds[i % seeds.Length];
                length = random.Next(2) == 0 ? seed.Length : random.Next(seed.Length + 1);
                seed.AsSpan(0, length).CopyTo(buffer);
                for (int m = random.Next(0, 4); m > 0 && length > 0; m--)
                {
                    buffer[random.Next(length)] = (byte)random.Next(256);
                }
            }
            else
            {
                length = random.Next(buffer.Length);
                random.NextBytes(buffer);
                if (random.Next(2) == 0)
                {
                    buffer[0] = 0x16;
                    buffer[1] = 0x03;
                    buffer[2] = 0x01;
                }
            }
            ReadOnlySequence<byte> sequence = TestSequences.Split(buffer.AsSpan(0, length), random.Next(length + 1));
            ClientHelloResult result = ClientHelloParser.Parse(sequence);
            complete += result.Status == ClientHelloStatus.Complete ? 1 : 0;
            Assert.True(
                result.Status switch
                {
                    ClientHelloStatus.Complete => result.Info is not null && result.Error is null,
                    ClientHelloStatus.Invalid => result.Info is null && !string.IsNullOrEmpty(result.Error),
                    _ => result.Info is null && result.Error is null,
                },
                $"iteration {i}");
        }
        Assert.InRange(complete, 1_000, 20_000); // the Complete path is exercised too
    }

    [Fact]
    public void Allocation_does_not_grow_with_hello_size()
    {
        byte[] small = Records(Handshake(Body([.. Sni("a.localhost"), .. Alpn("h2")])), recordSize: 40);
        byte[] large = Records(Handshake(Body([.. Sni("a.localhost"), .. Alpn("h2"), .. Extension(0x15, new byte[15000])])), recordSize: 4000);
        ReadOnlySequence<byte> smallSequence = TestSequences.Split(small, 3, 50);
        ReadOnlySequence<byte> largeSequence = TestSequences.Split(large, 3, 5000, 9000);
        Assert.Equal("a.localhost", ClientHelloParser.Parse(largeSequence).Info!.ServerName); // warm the pool

        long before = GC.GetAllocatedBytesForCurrentThread();
        ClientHelloParser.Parse(smallSequence);
        long smallBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        ClientHelloParser.Parse(largeSequence);
        long largeBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(largeBytes, 0, smallBytes + 64);
        Assert.InRange(largeBytes, 0, 1024);
    }
}
