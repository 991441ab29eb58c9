using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;

namespace PolicyGate.Core.Tests.Inspection;

public sealed class DefaultTenantFileTests
{
    [Fact]
    public void Shipped_default_tenant_file_parses_and_matches_the_builtin_default()
    {
        string file = FindRepoFile("config/tenants/default.toml");
        Assert.True(TenantFileParser.TryParse(file, "default", File.ReadAllText(file), out TenantPolicy? policy, out string? error), error);
        TenantPolicy builtin = TenantPolicy.BuiltinDefault;
        Assert.Equal(builtin.Mode, policy!.Mode);
        Assert.Equal(builtin.Detectors.Order(), policy.Detectors.Order());
        Assert.Equal(builtin.ContentTypes, policy.ContentTypes);
        Assert.Equal(builtin.FramingPhrases, policy.FramingPhrases);
        Assert.Equal(builtin.MaxScanBytes, policy.MaxScanBytes);
        Assert.Equal(builtin.PhoneRegions, policy.PhoneRegions);
        Assert.Empty(policy.ProtectedStrings);
        Assert.Equal(InspectionMode.Block, policy.Mode);
    }

    private static string FindRepoFile(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
