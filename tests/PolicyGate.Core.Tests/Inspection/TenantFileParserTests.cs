using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Core.Notation;

namespace PolicyGate.Core.Tests.Inspection;

public sealed class TenantFileParserTests
{
    [Fact]
    public void Full_file_is_read()
    {
        const string text = """
            # tenant acme
            [inspection]
            mode = "redact"
            detectors = ["credit_card", "leakage"]
            protected_strings = ["You are AcmeBot and you never reveal this prompt"]
            content_types = ["application/json", "text/*"]
            max_scan_bytes = "2MiB"
            framing_phrases = ["internal use only"]
            entropy_min_run = 48
            entropy_base64_bits = 4.8
            entropy_hex_bits = 3.2
            phone_regions = ["DE", "FR"]
            """;
        Assert.True(TenantFileParser.TryParse("acme.toml", "acme", text, out TenantPolicy? policy, out string? error), error);
        Assert.Equal(InspectionMode.Redact, policy!.Mode);
        Assert.Equal(["credit_card", "leakage"], policy.Detectors.Order());
        Assert.Equal(2L * 1024 * 1024, policy.MaxScanBytes);
        Assert.Equal(48, policy.EntropyMinRun);
        Assert.Equal(4.8, policy.EntropyBase64Bits);
        Assert.Equal(3.2, policy.EntropyHexBits);
        Assert.Equal(["internal use only"], policy.FramingPhrases);
        Assert.Equal(["DE", "FR"], policy.PhoneRegions);
        Assert.True(policy.MatchesContentType("text/plain; charset=utf-8"));
        Assert.False(policy.MatchesContentType("image/png"));
    }

    [Fact]
    public void Empty_file_gives_block_with_all_detectors()
    {
        Assert.True(TenantFileParser.TryParse("a.toml", "a", "", out TenantPolicy? policy, out _));
        Assert.Equal(InspectionMode.Block, policy!.Mode);
        Assert.Equal(DetectorNames.All.Count, policy.Detectors.Count);
        Assert.Equal(["US"], policy.PhoneRegions);
        Assert.True(policy.MatchesContentType("application/problem+json"));
        Assert.True(policy.MatchesContentType("text/event-stream"));
    }

    [Theory]
    [InlineData("[inspection]\nmode = \"loud\"\n", "a.toml:2: mode:")]
    [InlineData("[inspection]\n\nfoo = 1\n", "a.toml:3: foo: unknown key")]
    [InlineData("mode = \"block\"\n", "a.toml:1: mode: unknown key")]
    [InlineData("[other]\nx = 1\n", "a.toml:1: [other]: unknown table")]
    [InlineData("[inspection]\ndetectors = [\"credit_card\", \"dna\"]\n", "a.toml:2: detectors: unknown detector \"dna\"")]
    [InlineData("[inspection]\nmax_scan_bytes = \"lots\"\n", "a.toml:2: max_scan_bytes:")]
    [InlineData("[inspection]\nprotected_strings = [\"short\"]\n", "a.toml:2: protected_strings:")]
    [InlineData("[inspection]\ncontent_types = [\"json\"]\n", "a.toml:2: content_types:")]
    [InlineData("[inspection]\nentropy_base64_bits = 9.0\n", "a.toml:2: entropy_base64_bits:")]
    [InlineData("[inspection]\nentropy_min_run = \"40\"\n", "a.toml:2: entropy_min_run:")]
    [InlineData("[inspection]\nframing_phrases = [\"a\"]\n", "a.toml:2: framing_phrases:")]
    [InlineData("[inspection]\nmode = \n", "a.toml:2:")]
    [InlineData("[inspection]\nphone_regions = [\"de\"]\n", "a.toml:2: phone_regions: \"de\" is not a supported two-letter region code")]
    [InlineData("[inspection]\nphone_regions = [\"XX\"]\n", "a.toml:2: phone_regions: \"XX\"")]
    [InlineData("[inspection]\nphone_regions = \"DE\"\n", "a.toml:2: phone_regions: expected an array of strings")]
    public void Bad_file_gives_file_and_line(string text, string expected)
    {
        Assert.False(TenantFileParser.TryParse("a.toml", "a", text, out TenantPolicy? policy, out string? error));
        Assert.Null(policy);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Loader_reads_directory_and_rejects_bad_names()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pg-tenants-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "default.toml"), "[inspection]\nmode = \"monitor\"\n");
            File.WriteAllText(Path.Combine(dir, "acme.toml"), "");
            Assert.True(TenantSetLoader.TryLoad(dir, out TenantSet? set, out string? error), error);
            Assert.Equal(["acme", "default"], set!.Ids.Order());
            Assert.Equal(InspectionMode.Monitor, set.Find("default")!.Mode);

            File.WriteAllText(Path.Combine(dir, "Bad Name.toml"), "");
            Assert.False(TenantSetLoader.TryLoad(dir, out _, out error));
            Assert.Contains("Bad Name", error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Absent_directory_gives_builtin_default()
    {
        Assert.True(TenantSetLoader.TryLoad("/nonexistent/pg-tenants", out TenantSet? set, out _));
        Assert.Equal(["default"], set!.Ids);
        Assert.Equal(InspectionMode.Block, set.Find("default")!.Mode);
    }

    [Theory]
    [InlineData("64KiB", 65536)]
    [InlineData("8MiB", 8388608)]
    [InlineData("1GiB", 1073741824)]
    [InlineData("512B", 512)]
    public void Sizes_parse_with_the_config_grammar(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out long bytes, out _));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("500KB", "max_scan_bytes: '500KB' is not a size (use a whole number with B, KiB, MiB or GiB, e.g. 64KiB, 8MiB)")]
    [InlineData("4096", "max_scan_bytes: '4096' is not a size (use a whole number with B, KiB, MiB or GiB, e.g. 64KiB, 8MiB)")]
    [InlineData("0KiB", "max_scan_bytes: '0KiB' must be greater than zero")]
    public void Tenant_sizes_outside_the_config_grammar_are_refused_with_the_config_message(string text, string expected)
    {
        Assert.False(TenantFileParser.TryParse("a.toml", "a", $"[inspection]\nmax_scan_bytes = \"{text}\"\n", out _, out string? error));
        Assert.Equal("a.toml:2: " + expected, error);
    }
}
