using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Inspection.Tenants;
using Xunit.Abstractions;

namespace PolicyGate.Core.Tests.Inspection;

/// <summary>
/// Single-thread scan throughput of the default tenant in MB/s per core, measured in thread CPU time (the shared
/// build machine is heavily loaded, so wall time says little); prints figures for the report.
/// </summary>
[Trait("Category", "Perf")]
public sealed class ScanThroughputTests(ITestOutputHelper output)
{
    private const int ClockThreadCpuTime = 3;

    private static readonly string[] s_words =
        "the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who its now find long down day did get come made may part"
        .Split(' ');

    [Fact]
    public void Clean_english_and_json_scan_fast()
    {
        Random random = new(7);
        StringBuilder english = new();
        while (english.Length < 8 * 1024 * 1024)
        {
            english.Append(s_words[random.Next(s_words.Length)]).Append(random.Next(12) == 0 ? ". " : " ");
        }

        StringBuilder json = new("[");
        for (int i = 0; json.Length < 8 * 1024 * 1024; i++)
        {
            json.Append($"{{\"id\":{i},\"name\":\"item {s_words[i % s_words.Length]} {s_words[(i * 7) % s_words.Length]}\",\"price\":{i % 997}.{i % 100:00},\"tags\":[\"a\",\"b\"],\"active\":true}},");
        }

        json.Append("{}]");
        double englishRate = Measure("clean English", Encoding.UTF8.GetBytes(english.ToString()));
        double jsonRate = Measure("clean JSON", Encoding.UTF8.GetBytes(json.ToString()));
        Assert.True(englishRate > 50 && jsonRate > 50, "scan throughput collapsed");
    }

    [Fact]
    public void Pii_dense_text_scans()
    {
        StringBuilder text = new();
        for (int i = 0; text.Length < 4 * 1024 * 1024; i++)
        {
            text.Append($"Customer {i} mail user{i}@example.com phone +1 415 555 {2000 + (i % 7000):0000} card 4111 1111 1111 1111 ip 10.0.{i % 256}.{i % 200} ssn 536-22-{1000 + (i % 8000):0000}. ");
        }

        double rate = Measure("PII-dense", Encoding.UTF8.GetBytes(text.ToString()));
        Assert.True(rate > 1, "PII-dense scan collapsed");
    }

    private double Measure(string name, byte[] body)
    {
        string? only = Environment.GetEnvironmentVariable("PG_PERF_DETECTOR");
        string? except = Environment.GetEnvironmentVariable("PG_PERF_EXCEPT");
        IReadOnlyCollection<string>? detectors = only is not null ? [only] : except is not null ? DetectorNames.All.Where(d => d != except).ToArray() : null;
        TenantPolicy policy = new("perf", detectors: detectors,
            protectedStrings: Environment.GetEnvironmentVariable("PG_PERF_NO_LEAK") is null ? [DetectorHarness.Prompt] : []);
        ScanOnce(policy, body.AsSpan(0, Math.Min(body.Length, 1 << 20)), out _);
        Stopwatch watch = Stopwatch.StartNew();
        double cpuStart = ThreadCpuSeconds();
        int rounds = 0;
        int hits = 0;
        while (rounds < 2 || (watch.Elapsed < TimeSpan.FromSeconds(10) && rounds < 10 && ThreadCpuSeconds() - cpuStart < 1))
        {
            ScanOnce(policy, body, out hits);
            rounds++;
        }

        double mbPerSecond = body.Length * (double)rounds / (1024 * 1024) / (ThreadCpuSeconds() - cpuStart);
        output.WriteLine($"{name}: {mbPerSecond:F0} MB/s per core ({body.Length / 1024} KiB x {rounds}, {hits} hits, 16 KiB chunks, all detectors + 1 protected string)");
        Console.WriteLine($"[perf] {name}: {mbPerSecond:F0} MB/s per core, {hits} hits");
        return mbPerSecond;
    }

    private static double ThreadCpuSeconds()
    {
        clock_gettime(ClockThreadCpuTime, out Timespec now);
        return now.Seconds + (now.Nanoseconds / 1e9);
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this test project does not enable
    private static extern int clock_gettime(int clock, out Timespec value);
#pragma warning restore SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static void ScanOnce(TenantPolicy policy, ReadOnlySpan<byte> body, out int hitCount)
    {
        StreamScanner scanner = new(policy.Profile);
        List<DetectionHit> hits = [];
        hitCount = 0;
        for (int offset = 0; offset < body.Length; offset += 16384)
        {
            int length = Math.Min(16384, body.Length - offset);
            hits.Clear();
            scanner.Feed(body.Slice(offset, length), offset + length == body.Length, hits);
            scanner.Release(scanner.StableEnd);
            hitCount += hits.Count;
        }
    }
}
