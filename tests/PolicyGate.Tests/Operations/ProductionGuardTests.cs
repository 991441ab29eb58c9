using PolicyGate.Configuration;
using PolicyGate.Operations;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Operations;

/// <summary>Production mode refuses each unsafe setting of DESIGN §11 by name; a safe production config passes.</summary>
public sealed class ProductionGuardTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _env = new()
    {
        [ProductionGuard.AdminTokenVariable] = "admin-token-from-env",
        [ProductionGuard.AuditKeyVariable] = new string('a', 64),
    };

    private PolicyGateOptions SafeProduction()
    {
        PolicyGateOptions o = new() { BaseDirectory = _dir.Path, SourceFile = Path.Combine(_dir.Path, "pg.toml") };
        o.Node.Mode = "production";
        o.Edge.CertFile = _dir.Write("cert.pem", "-----BEGIN CERTIFICATE-----\n");
        o.Edge.KeyFile = _dir.Write("key.pem", "-----BEGIN PRIVATE KEY-----\n");
        return o;
    }

    private string? Refusal(PolicyGateOptions o) => ProductionGuard.FindRefusal(o, name => _env.GetValueOrDefault(name));

    [Fact]
    public void Safe_production_options_pass_and_dev_mode_is_never_refused()
    {
        Assert.Null(Refusal(SafeProduction()));
        _env.Clear();
        Assert.Null(Refusal(new PolicyGateOptions()));
    }

    [Fact]
    public void Admin_token_missing_is_refused_and_a_token_file_is_accepted()
    {
        _env.Remove(ProductionGuard.AdminTokenVariable);
        PolicyGateOptions o = SafeProduction();
        Assert.Equal("admin.token_file: production mode needs the admin token: set admin.token_file or env POLICYGATE_ADMIN_TOKEN", Refusal(o));
        o.Admin.TokenFile = "token";
        Assert.Equal($"admin.token_file: {Path.Combine(_dir.Path, "token")} is missing or empty (production mode needs the admin token)", Refusal(o));
        _dir.Write("token", "t0ken\n");
        Assert.Null(Refusal(o));
    }

    [Fact]
    public void Audit_key_missing_is_refused()
    {
        _env.Remove(ProductionGuard.AuditKeyVariable);
        Assert.Equal("audit.key_file: production mode needs the audit HMAC key: set audit.key_file or env POLICYGATE_AUDIT_KEY", Refusal(SafeProduction()));
    }

    [Fact]
    public void Dev_self_signed_certificate_is_refused()
    {
        PolicyGateOptions o = SafeProduction();
        o.Edge.CertFile = "";
        Assert.StartsWith("edge.cert_file: production mode refuses the dev self-signed certificate", Refusal(o));
        o = SafeProduction();
        o.Edge.KeyFile = "";
        Assert.StartsWith("edge.key_file: production mode refuses the dev self-signed certificate", Refusal(o));
        o = SafeProduction();
        o.Edge.CertFile = Path.Combine(_dir.Path, "absent.pem");
        Assert.Equal($"edge.cert_file: {o.Edge.CertFile} does not exist", Refusal(o));
    }

    [Fact]
    public void Acme_certificate_counts_as_real_in_production()
    {
        PolicyGateOptions o = SafeProduction();
        o.Edge.CertFile = "";
        o.Edge.KeyFile = "";
        o.Edge.Acme.Enabled = true;

        Assert.Null(Refusal(o));
        Assert.False(PolicyGate.Edge.EdgeCertificateLoader.UsesDevCertificate(o));
    }

    [Fact]
    public void Follower_without_trusted_keys_is_refused()
    {
        PolicyGateOptions o = SafeProduction();
        o.Cluster.Role = "follower";
        o.Cluster.LeaderUrl = "https://leader:9443";
        Assert.Equal("cluster.trusted_keys: a follower in production mode needs pinned bundle-signing keys", Refusal(o));
        o.Cluster.TrustedKeys = ["sha256:" + new string('0', 64)];
        Assert.Null(Refusal(o));
    }

    [Theory]
    [InlineData("0.0.0.0:9080")]
    [InlineData("10.1.2.3:9080")]
    [InlineData("[::]:9080")]
    public void Non_loopback_admin_listener_is_refused(string listen)
    {
        PolicyGateOptions o = SafeProduction();
        o.Admin.Listen = listen;
        Assert.StartsWith($"admin.listen: {listen} is not a loopback address", Refusal(o));
    }

    [Fact]
    public void Inline_store_password_is_refused()
    {
        PolicyGateOptions o = SafeProduction();
        o.Store.Kind = "postgres";
        o.Store.ConnectionString = "Host=db;Password=hunter2";
        Assert.Equal("store.connection_string: holds a password; production mode reads secrets only from env (POLICYGATE_STORE_CONNECTION) or files", Refusal(o));
    }

    [Fact]
    public void Building_a_refused_production_node_throws_a_config_exception_naming_the_setting()
    {
        PolicyGateOptions o = TestNode.CreateOptions(o => o.Node.Mode = "production");
        o.Audit.KeyFile = _dir.Write("audit.key", new string('b', 64) + "\n");
        o.Edge.CertFile = _dir.Write("cert.pem", "-----BEGIN CERTIFICATE-----\n");
        o.Edge.KeyFile = _dir.Write("key.pem", "-----BEGIN PRIVATE KEY-----\n");
        o.Admin.Listen = "0.0.0.0:" + TestNode.FreePort();
        ConfigException e = Assert.Throws<ConfigException>(() => AppHost.Build(o));
        Assert.StartsWith("config: admin.listen: " + o.Admin.Listen + " is not a loopback address", e.Message);
    }

    public void Dispose() => _dir.Dispose();
}
