using System.Net;
using PolicyGate.Configuration;
using PolicyGate.Core.Inspection;
using PolicyGate.Inspection;
using PolicyGate.Operations;
using PolicyGate.Runtime;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Inspection;

/// <summary>Tenant reload: atomic swap, a bad file keeps the old set, a removed tenant's traffic is blocked.</summary>
public sealed class TenantReloadTests
{
    [Fact]
    public async Task Removed_tenant_is_blocked_and_bad_file_keeps_old_set()
    {
        Dictionary<string, string> files = new() { ["acme"] = "[inspection]\nmode = \"block\"\n", ["globex"] = "" };
        await using InspectionTestHost host = await InspectionTestHost.StartAsync(files, ["acme", "globex"], InspectionBackend.HandleAsync);
        TenantCatalog catalog = (TenantCatalog)host.App.Services.GetService(typeof(TenantCatalog))!;
        IReloadable reloadable = Assert.Single(((IEnumerable<IReloadable>)host.App.Services.GetService(typeof(IEnumerable<IReloadable>))!).OfType<TenantCatalog>());
        Assert.Null(catalog.Check());

        using (HttpResponseMessage ok = await host.Client.GetAsync(host.Url("acme", "/")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        File.WriteAllText(Path.Combine(host.TenantsDir, "globex.toml"), "[inspection]\nmode = \"sometimes\"\n");
        ConfigException error = await Assert.ThrowsAsync<ConfigException>(() => reloadable.ReloadAsync(RuntimeConfig.Compile(host.Options), CancellationToken.None));
        Assert.Contains("globex.toml:2: mode:", error.Message);
        Assert.True(catalog.Contains("globex"));
        Assert.True(catalog.Contains("acme"));

        File.Delete(Path.Combine(host.TenantsDir, "globex.toml"));
        File.Delete(Path.Combine(host.TenantsDir, "acme.toml"));
        File.WriteAllText(Path.Combine(host.TenantsDir, "globex.toml"), "[inspection]\nmode = \"monitor\"\n");
        await reloadable.ReloadAsync(RuntimeConfig.Compile(host.Options), CancellationToken.None);
        Assert.False(catalog.Contains("acme"));
        Assert.Equal(InspectionMode.Monitor, catalog.Current.Find("globex")!.Mode);

        using HttpResponseMessage blocked = await host.Client.GetAsync(host.Url("acme", "/"));
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("tenant", blocked.Headers.GetValues("X-PolicyGate-Blocked").Single());
        using HttpResponseMessage monitored = await host.Client.GetAsync(host.Url("globex", "/sample?d=email"));
        Assert.Equal(HttpStatusCode.OK, monitored.StatusCode);
    }

    [Fact]
    public async Task Node_without_tenants_directory_serves_builtin_default_and_is_ready_on_tenants()
    {
        await using TestNode node = await TestNode.StartAsync();
        TenantCatalog catalog = node.Service<TenantCatalog>();
        Assert.Equal(["default"], catalog.Current.Ids);
        Assert.Equal(InspectionMode.Block, catalog.Current.Find("default")!.Mode);
        Assert.Contains(node.Service<IEnumerable<IReadinessCheck>>(), c => c.Name == "tenants" && c.Check() is null);
    }

    [Fact]
    public void Bad_tenant_file_refuses_to_build_the_node_with_file_and_line()
    {
        PolicyGateOptions options = TestNode.CreateOptions();
        string dir = Path.Combine(options.BaseDirectory, "tenants");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "default.toml"), "[inspection]\n\nmax_scan_bytes = \"huge\"\n");
        options.Inspection.TenantsDir = dir;
        ConfigException error = Assert.Throws<ConfigException>(() => AppHost.Build(options));
        Assert.Equal($"{Path.Combine(dir, "default.toml")}:3: max_scan_bytes: 'huge' is not a size (use a whole number with B, KiB, MiB or GiB, e.g. 64KiB, 8MiB)", error.Message);
        Directory.Delete(options.BaseDirectory, recursive: true);
    }
}
