using System.Text;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Core.Tests.Inspection;

public sealed class StreamScannerTests
{
    private static readonly TenantPolicy s_all = new("t", protectedStrings: [DetectorHarness.Prompt]);

    public static readonly TheoryData<string, string> Secrets = new()
    {
        { DetectorNames.CreditCard, "4111 1111 1111 1111" },
        { DetectorNames.UsSsn, "536-22-1234" },
        { DetectorNames.Email, "alice.smith@example.com" },
        { DetectorNames.Phone, "+1 415 555 2671" },
        { DetectorNames.Ipv4, "203.0.113.42" },
        { DetectorNames.Ipv6, "2001:db8:85a3::8a2e:370:7334" },
        { DetectorNames.Iban, "DE89 3704 0044 0532 0130 00" },
        { DetectorNames.Leakage, "never reveal the launch code 7731-ALPHA" },
        { DetectorNames.Entropy, "Zx9QmR2vT7pLk4NwB8sYh3JdF6gKc1UeA5rVo0Ti" },
        { DetectorNames.Framing, "the system prompt" },
        { DetectorNames.SecretPrefix, "AKIAIOSFODNN7EXAMPLE" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Hit_split_at_every_position_is_found_once_with_exact_range(string detector, string secret)
    {
        string prefix = new string('x', 300) + " plain words before ";
        string text = prefix + secret + " and after.";
        int secretStart = Encoding.UTF8.GetByteCount(prefix);
        for (int cut = secretStart; cut <= secretStart + secret.Length; cut++)
        {
            List<DetectionHit> hits = DetectorHarness.ScanSplit(text, s_all, cut);
            List<DetectionHit> mine = hits.Where(h => h.Detector == detector).ToList();
            Assert.True(mine.Count >= 1, $"{detector} missed with cut at {cut - secretStart}");
            Assert.All(mine, h => Assert.True(h.Offset <= secretStart + 2 && h.End >= secretStart + secret.Length - 1, $"range {h.Offset}-{h.End}"));
        }
    }

    [Fact]
    public void Hit_split_over_many_small_chunks_is_found()
    {
        string text = "{\"note\":\"" + new string('a', 1000) + "\",\"card\":\"4111111111111111\",\"tail\":\"" + new string('b', 5000) + "\"}";
        int[] cuts = Enumerable.Range(1, text.Length - 1).Where(i => i % 7 == 0).ToArray();
        List<DetectionHit> hits = DetectorHarness.ScanSplit(text, s_all, cuts);
        DetectionHit hit = Assert.Single(hits);
        Assert.Equal(DetectorNames.CreditCard, hit.Detector);
        Assert.Equal(text.IndexOf("4111", StringComparison.Ordinal), hit.Offset);
        Assert.Equal(16, hit.Length);
    }

    [Fact]
    public void Truncated_number_at_chunk_end_is_not_judged_early()
    {
        // "4111111111111111" alone is a card; followed by "23" it is an 18-digit number that fails Luhn.
        string text = "id 411111111111111123 end";
        int cut = text.IndexOf("23", StringComparison.Ordinal);
        Assert.Empty(DetectorHarness.ScanSplit(text, new TenantPolicy("t", detectors: [DetectorNames.CreditCard]), cut));
    }

    [Fact]
    public void Leakage_across_chunks_with_multibyte_characters_split()
    {
        string text = "intro: the café budget, or the staff roster. done";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int e = Array.IndexOf(bytes, (byte)0xC3);
        List<DetectionHit> hits = DetectorHarness.ScanSplit(text, s_all, e + 1);
        Assert.Contains(hits, h => h.Detector == DetectorNames.Leakage);
    }

    [Fact]
    public void Stable_end_never_passes_an_unfinished_token()
    {
        StreamScanner scanner = new(s_all.Profile);
        List<DetectionHit> hits = [];
        byte[] first = Encoding.ASCII.GetBytes(new string(' ', 2000) + "card 4111 1111");
        scanner.Feed(first, final: false, hits);
        Assert.True(scanner.StableEnd <= first.Length - 9);
        scanner.Feed(" 1111 1111 ok"u8, final: true, hits);
        Assert.Contains(hits, h => h.Detector == DetectorNames.CreditCard);
    }

    [Fact]
    public void Redaction_replaces_each_hit()
    {
        TenantPolicy policy = new("t", InspectionMode.Redact);
        StreamScanner scanner = new(policy.Profile);
        RedactionWriter writer = new(redact: true);
        List<DetectionHit> hits = [];
        byte[] body = "mail bob@example.com or call +1 415 555 2671, card 4111-1111-1111-1111."u8.ToArray();
        scanner.Feed(body, final: true, hits);
        writer.AddHits(hits);
        System.Buffers.ArrayBufferWriter<byte> output = new();
        writer.WriteTo(output, scanner, scanner.Total);
        Assert.Equal("mail [REDACTED:email] or call [REDACTED:phone], card [REDACTED:credit_card].", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Voter_reports_disagreement_when_one_channel_hits()
    {
        InspectionVoter voter = new();
        voter.Add(new DetectionHit(DetectorNames.Email, DetectionChannel.Automaton, 0, 5));
        Assert.True(voter.Blocks);
        Assert.True(voter.Disagreement);
        voter.Add(new DetectionHit(DetectorNames.Entropy, DetectionChannel.Rules, 10, 40));
        Assert.True(voter.Blocks);
        Assert.False(voter.Disagreement);
        Assert.Equal(DetectorNames.Email, voter.FirstDetector);
        Assert.False(new InspectionVoter().Blocks);
    }

    [Fact]
    public void Event_stream_joiner_finds_hits_spanning_events_only()
    {
        EventStreamDataJoiner joiner = new(s_all.Profile);
        List<DetectionHit> hits = [];
        byte[] raw = "data: card 4111 1111\n\ndata:  1111 1111 done\n\ndata: mail bob@example.com ok\n\n"u8.ToArray();
        joiner.Feed(raw.AsSpan(0, 22), 0, final: false, hits);
        joiner.Feed(raw, 0, final: true, hits);
        Assert.Contains(hits, h => h.Detector == DetectorNames.CreditCard && joiner.CrossesEvents(h));
        Assert.Contains(hits, h => h.Detector == DetectorNames.Email && !joiner.CrossesEvents(h));
    }
}
