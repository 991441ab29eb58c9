using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Core.Tests.Inspection;

/// <summary>National phone numbers: the tenant's `phone_regions`, context words, and strict grouping without context.</summary>
public sealed class PhoneRegionTests
{
    private static TenantPolicy Tenant(string regions)
    {
        string text = $"[inspection]\ndetectors = [\"phone\"]\nphone_regions = [{regions}]\n";
        Assert.True(TenantFileParser.TryParse("t.toml", "t", text, out TenantPolicy? policy, out string? error), error);
        return policy!;
    }

    [Theory]
    [InlineData("Tel. 030 12345678")]
    [InlineData("Rufnummer: 030/12345678")]
    [InlineData("\"telefon\": \"03012345678\"")]
    [InlineData("Handy: 0151 23456789")]
    [InlineData("Telefon: 0049 30 12345678")]
    public void German_number_with_a_context_word_is_a_hit_in_a_german_tenant(string text)
    {
        Assert.Contains(DetectorHarness.Scan(text, Tenant("\"DE\"")), h => h.Detector == DetectorNames.Phone);
    }

    [Fact]
    public void Region_not_configured_leaves_the_national_number_alone()
    {
        Assert.DoesNotContain(DetectorHarness.Scan("Tel. 030 12345678", Tenant("\"US\"")), h => h.Detector == DetectorNames.Phone);
    }

    [Theory]
    [InlineData("FR", "Écrivez-nous ou passez au 01 42 68 53 00 demain.", true)]
    [InlineData("FR", "Référence 0142685300 du dossier.", false)]
    [InlineData("FR", "Valeurs 014 268 5300 du tableau.", false)]
    [InlineData("GB", "Ring 020 7946 0018 after six.", true)]
    [InlineData("US", "Reach us at (415) 555-2671 today.", true)]
    [InlineData("US", "Order 4155552671 shipped.", false)]
    public void Without_context_only_the_region_own_grouping_counts(string region, string text, bool hit)
    {
        Assert.Equal(hit, DetectorHarness.Scan(text, Tenant($"\"{region}\"")).Exists(h => h.Detector == DetectorNames.Phone));
    }

    [Fact]
    public void French_context_word_lifts_an_unspaced_number()
    {
        Assert.Contains(DetectorHarness.Scan("Téléphone : 0142685300", Tenant("\"FR\"")), h => h.Detector == DetectorNames.Phone);
    }
}
