using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using PolicyGate.Admin;
using PolicyGate.Configuration;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Admin;

/// <summary>Where the admin token comes from: file, env, generated in dev; production without one refuses to start.</summary>
public sealed class AdminTokenTests
{
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task DevModeGeneratesAPrivateTokenFileAndAcceptsIt()
    {
        PolicyGateOptions options = TestNode.CreateOptions(o => o.Admin.TokenFile = "");
        await using TestNode node = await TestNode.StartAsync(options);
        string path = Path.Combine(node.DataDir, AdminToken.GeneratedFileName);

        string token = (await File.ReadAllTextAsync(path)).Trim();

        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(node.DataDir));
        using HttpClient client = new() { BaseAddress = node.Admin.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/instances")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Admin.GetAsync("/api/v1/instances")).StatusCode);
        Assert.Equal(AdminToken.Resolve(options).CallerId, node.Service<AdminToken>().CallerId);
    }

    [Fact]
    public void ProductionWithoutATokenRefusesNamingTheSetting()
    {
        PolicyGateOptions options = TestNode.CreateOptions(o =>
        {
            o.Admin.TokenFile = "";
            o.Node.Mode = "production";
        });

        ConfigException e = Assert.Throws<ConfigException>(() => AdminToken.Resolve(options));

        Assert.Equal("admin.token_file: production mode needs an admin token: set admin.token_file or env POLICYGATE_ADMIN_TOKEN", e.Message);
        Assert.False(File.Exists(Path.Combine(options.DataDirectory, AdminToken.GeneratedFileName)));
    }

    [Fact]
    public void UnreadableOrEmptyTokenFileIsAConfigError()
    {
        PolicyGateOptions missing = TestNode.CreateOptions(o => o.Admin.TokenFile = "/nonexistent/admin.token");
        PolicyGateOptions empty = TestNode.CreateOptions();
        File.WriteAllText(empty.Admin.TokenFile, " \n");

        Assert.StartsWith("admin.token_file: cannot read /nonexistent/admin.token:", Assert.Throws<ConfigException>(() => AdminToken.Resolve(missing)).Message);
        Assert.Equal($"admin.token_file: {empty.Admin.TokenFile} is empty", Assert.Throws<ConfigException>(() => AdminToken.Resolve(empty)).Message);
    }

    [Fact]
    public void FileWinsAndTokenComparesExactly()
    {
        AdminToken token = AdminToken.Resolve(TestNode.CreateOptions());

        Assert.True(token.Matches(TestNode.AdminToken));
        Assert.False(token.Matches(TestNode.AdminToken + " "));
        Assert.False(token.Matches(""));
        Assert.Matches("^admin-token:[0-9a-f]{8}$", token.CallerId);
    }
}
