using System.Text;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Core.Tests.Inspection;

/// <summary>The scanner's pooled buffers: same hits as before, safe disposal, and no per-body buffer allocations.</summary>
public sealed class StreamScannerBufferTests
{
    private static readonly TenantPolicy s_all = new("t");

    [Fact]
    public void Reserved_and_grown_buffers_keep_the_body_and_find_the_hit()
    {
        byte[] body = CleanJson(70_000, "alice.smith@example.com");
        using StreamScanner scanner = new(s_all.Profile);
        scanner.Reserve(1000);
        List<DetectionHit> hits = [];
        for (int at = 0; at < body.Length; at += 7000)
        {
            scanner.Feed(body.AsSpan(at, Math.Min(7000, body.Length - at)), final: at + 7000 >= body.Length, hits);
        }

        Assert.Equal(body, scanner.Slice(0, scanner.Total).ToArray());
        Assert.Equal(body, scanner.SliceMemory(0, scanner.Total).ToArray());
        Assert.Contains(hits, h => h.Detector == DetectorNames.Email);
    }

    [Fact]
    public void Dispose_twice_is_harmless_and_drops_the_body()
    {
        StreamScanner scanner = new(s_all.Profile);
        scanner.Feed("plain text"u8, final: true, []);
        scanner.Dispose();
        scanner.Dispose();
        Assert.Equal(0, scanner.Slice(0, 0).Length);
    }

    [Fact]
    public void A_64k_body_scans_without_allocating_its_buffers()
    {
        byte[] body = CleanJson(64 * 1024, null);
        ScanChunked(body);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ScanChunked(body);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A fresh 64 KiB byte buffer plus its char window would be > 190 KB; pooled buffers leave only small objects.
        Assert.True(allocated < 32 * 1024, $"allocated {allocated} bytes for one 64 KiB body");
    }

    private static void ScanChunked(byte[] body)
    {
        using StreamScanner scanner = new(s_all.Profile);
        scanner.Reserve(body.Length);
        List<DetectionHit> hits = [];
        for (int at = 0; at < body.Length; at += 16384)
        {
            scanner.Feed(body.AsSpan(at, Math.Min(16384, body.Length - at)), final: at + 16384 >= body.Length, hits);
        }

        Assert.Empty(hits);
    }

    private static byte[] CleanJson(int size, string? secret)
    {
        StringBuilder text = new("[");
        for (int i = 0; text.Length < size - 64; i++)
        {
            text.Append("{\"id\":\"item\",\"name\":\"plain words here\",\"ok\":true},");
            if (secret is not null && i == 700)
            {
                text.Append("{\"mail\":\"").Append(secret).Append("\"},");
            }
        }

        text.Append("{}]");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
