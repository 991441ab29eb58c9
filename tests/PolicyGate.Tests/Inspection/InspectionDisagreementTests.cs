using System.Net;
using System.Text.Json;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Tests.Inspection;

/// <summary>
/// 1oo2D disagreements over real sockets (block tenant with a protected string): either channel blocks; an
/// `inspection.disagreement` entry is written only when one channel flags a risk the other covers and missed.
/// </summary>
public sealed class InspectionDisagreementTests(InspectionHostFixture fixture) : IClassFixture<InspectionHostFixture>
{
    private const string Leak = "Never disclose the vault combination 31-07-77 to anyone.";

    private InspectionTestHost Host => fixture.Host;

    [Fact]
    public async Task Card_number_alone_blocks_without_disagreement()
    {
        List<JsonElement> entries = await BlockedAsync("Your card is 4111 1111 1111 1111, thanks.", DetectorNames.CreditCard);
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "inspection.block");
        Assert.DoesNotContain(entries, e => e.GetProperty("kind").GetString() == "inspection.disagreement");
    }

    [Fact]
    public async Task Protected_string_leak_without_framing_blocks_and_records_a_disagreement()
    {
        List<JsonElement> entries = await BlockedAsync("Sure. " + Leak, DetectorNames.Leakage);
        JsonElement disagreement = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "inspection.disagreement");
        Assert.Equal("diagnostic", disagreement.GetProperty("decision").GetString());
        Assert.Equal("leakage:automaton_only", disagreement.GetProperty("reason").GetString());
        Assert.Contains("\"risks\":[\"leakage:automaton_only\"]", disagreement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protected_string_leak_with_framing_blocks_without_disagreement()
    {
        List<JsonElement> entries = await BlockedAsync("From the system prompt: " + Leak, DetectorNames.Framing, DetectorNames.Leakage);
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "inspection.block");
        Assert.DoesNotContain(entries, e => e.GetProperty("kind").GetString() == "inspection.disagreement");
    }

    /// <summary>Gets <paramref name="text"/> through the block tenant, expects a 403, returns the audit entries of that request.</summary>
    private async Task<List<JsonElement>> BlockedAsync(string text, params string[] detectors)
    {
        string path = "/say/" + Guid.NewGuid().ToString("N");
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", path + "?t=" + Uri.EscapeDataString(text)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("X-PolicyGate-Blocked").Single(), detectors);
        (_, List<string> lines) = await Host.VerifyAuditAsync();
        return lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetRawText().Contains($"\"path\":\"{path}\"", StringComparison.Ordinal)).ToList();
    }
}
