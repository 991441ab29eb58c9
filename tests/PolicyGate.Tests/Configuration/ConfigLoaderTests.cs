using PolicyGate.Configuration;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void No_file_gives_the_documented_defaults()
    {
        PolicyGateOptions o = ConfigLoader.Load(null);
        Assert.Null(o.SourceFile);
        Assert.Equal("dev", o.Node.Mode);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data"), o.DataDirectory);
        Assert.Equal(["127.0.0.1:8443"], o.Edge.Listen);
        Assert.Equal("localhost", o.Edge.BaseDomain);
        Assert.Equal(["1.2", "1.3"], o.Edge.TlsVersions);
        Assert.Equal(["127.0.0.1/32", "::1/128"], o.Edge.TrustedProxies);
        Assert.False(o.Edge.InboundProxyProtocol);
        Assert.Equal("http", o.Edge.DefaultProtocol);
        Assert.Equal(3, o.Edge.ConnectTopN);
        Assert.Equal(2000, o.Edge.MaxConnectionsPerApp);
        Assert.Equal(TimeSpan.FromMinutes(30), o.Edge.InstanceStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Edge.Timeouts.Handshake);
        Assert.Equal(TimeSpan.FromMinutes(10), o.Edge.Timeouts.Idle);
        Assert.Equal(TimeSpan.FromHours(5), o.Edge.Timeouts.Total);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Edge.Timeouts.Shutdown);
        Assert.Equal(8090, o.PortPolicyFetch.AgentPort);
        Assert.Equal("/info", o.PortPolicyFetch.Path);
        Assert.Equal(5, o.PortPolicyFetch.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), o.PortPolicyFetch.BackoffMax);
        Assert.Equal("127.0.0.1:9080", o.Admin.Listen);
        Assert.Equal("127.0.0.1:9090", o.Metrics.Listen);
        Assert.Equal("sqlite", o.Store.Kind);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "config", "tenants"), o.Inspection.TenantsDir);
        Assert.Equal(64 * 1024, o.Inspection.HoldBytes);
        Assert.Equal("interval", o.Audit.Fsync);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Audit.CheckpointEvery);
        Assert.Equal("", o.Egress.Listen);
        Assert.Equal("strict", o.Egress.DefaultMode);
        Assert.True(o.Egress.BuiltinLoopback);
        Assert.Equal("standalone", o.Cluster.Role);
        Assert.Empty(o.Cluster.TrustedKeys);
    }

    [Fact]
    public void Shipped_config_parses_and_equals_the_defaults_when_run_from_the_repository_root()
    {
        PolicyGateOptions shipped = ConfigLoader.Load(RepoPaths.File("config/policygate.toml"));
        PolicyGateOptions defaults = ConfigLoader.LoadText("", "defaults", RepoPaths.Root);
        Assert.Equal(WithoutHeader(ConfigPrinter.Print(defaults)), WithoutHeader(ConfigPrinter.Print(shipped)));
    }

    [Fact]
    public void Shipped_config_names_every_key_of_the_schema()
    {
        string text = File.ReadAllText(RepoPaths.File("config/policygate.toml"));
        PolicyGateOptions defaults = ConfigLoader.LoadText("", "defaults", RepoPaths.Root);
        string printed = ConfigPrinter.Print(defaults);
        foreach (string line in printed.Split('\n').Where(l => l.Contains(" = ", StringComparison.Ordinal)))
        {
            string key = line[..line.IndexOf(" = ", StringComparison.Ordinal)];
            Assert.Matches($"(?m)^{key} = ", text);
        }
    }

    [Fact]
    public void Every_key_is_read_into_the_options()
    {
        using TempDirectory dir = new();
        string file = dir.Write("pg.toml", """
            [node]
            id = "n1"
            mode = "dev"
            data_dir = "/var/lib/pg"
            [edge]
            listen = ["0.0.0.0:443", "[::1]:8443"]
            base_domain = "Apps.Example.com."
            cert_file = "/etc/pg/cert.pem"
            key_file = "/etc/pg/key.pem"
            tls_versions = ["1.3"]
            inbound_proxy_protocol = true
            trusted_proxies = ["10.0.0.0/8", "2001:db8::/32"]
            default_protocol = "tcp"
            connect_top_n = 5
            max_connections_per_app = 10
            instance_stale_after = "500ms"
            [edge.timeouts]
            handshake = "1s"
            connect = "2s"
            pp_header = "3s"
            idle = "4m"
            total = "6h"
            shutdown = "7s"
            [port_policy_fetch]
            agent_port = 9000
            path = "/policy"
            timeout = "3s"
            max_retries = 0
            backoff_initial = "100ms"
            backoff_max = "2s"
            [admin]
            listen = "127.0.0.2:9081"
            token_file = "/run/secrets/token"
            [metrics]
            listen = "0.0.0.0:9091"
            [store]
            kind = "postgres"
            connection_string = "Host=db;Username=pg"
            [inspection]
            tenants_dir = "/etc/pg/tenants"
            hold_bytes = "1MiB"
            [audit]
            dir = "/var/log/pg"
            key_file = "/run/secrets/audit"
            signing_key_file = "/run/secrets/node.key"
            fsync = "always"
            checkpoint_every = "1m"
            [egress]
            listen = "10.8.0.1:3128"
            default_mode = "learn"
            builtin_loopback = false
            [cluster]
            role = "follower"
            listen = ""
            cert_file = "/etc/pg/c.pem"
            key_file = "/etc/pg/c.key"
            ca_file = "/etc/pg/ca.pem"
            leader_url = "https://leader:9443"
            poll_interval = "5s"
            trusted_keys = ["sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"]
            """);
        PolicyGateOptions o = ConfigLoader.Load(file);
        Assert.Equal(file, o.SourceFile);
        Assert.Equal("n1", o.Node.Id);
        Assert.Equal("/var/lib/pg", o.DataDirectory);
        Assert.Equal(["0.0.0.0:443", "[::1]:8443"], o.Edge.Listen);
        Assert.Equal("apps.example.com", o.Edge.BaseDomain);
        Assert.Equal("/etc/pg/cert.pem", o.Edge.CertFile);
        Assert.Equal("/etc/pg/key.pem", o.Edge.KeyFile);
        Assert.Equal(["1.3"], o.Edge.TlsVersions);
        Assert.True(o.Edge.InboundProxyProtocol);
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], o.Edge.TrustedProxies);
        Assert.Equal("tcp", o.Edge.DefaultProtocol);
        Assert.Equal(5, o.Edge.ConnectTopN);
        Assert.Equal(10, o.Edge.MaxConnectionsPerApp);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.Edge.InstanceStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), o.Edge.Timeouts.Handshake);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Edge.Timeouts.Connect);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Edge.Timeouts.PpHeader);
        Assert.Equal(TimeSpan.FromMinutes(4), o.Edge.Timeouts.Idle);
        Assert.Equal(TimeSpan.FromHours(6), o.Edge.Timeouts.Total);
        Assert.Equal(TimeSpan.FromSeconds(7), o.Edge.Timeouts.Shutdown);
        Assert.Equal(9000, o.PortPolicyFetch.AgentPort);
        Assert.Equal("/policy", o.PortPolicyFetch.Path);
        Assert.Equal(TimeSpan.FromSeconds(3), o.PortPolicyFetch.Timeout);
        Assert.Equal(0, o.PortPolicyFetch.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), o.PortPolicyFetch.BackoffInitial);
        Assert.Equal(TimeSpan.FromSeconds(2), o.PortPolicyFetch.BackoffMax);
        Assert.Equal("127.0.0.2:9081", o.Admin.Listen);
        Assert.Equal("/run/secrets/token", o.Admin.TokenFile);
        Assert.Equal("0.0.0.0:9091", o.Metrics.Listen);
        Assert.Equal("postgres", o.Store.Kind);
        Assert.Equal("Host=db;Username=pg", o.Store.ConnectionString);
        Assert.Equal("/etc/pg/tenants", o.Inspection.TenantsDir);
        Assert.Equal(1024 * 1024, o.Inspection.HoldBytes);
        Assert.Equal("/var/log/pg", o.Audit.Dir);
        Assert.Equal("/run/secrets/audit", o.Audit.KeyFile);
        Assert.Equal("/run/secrets/node.key", o.Audit.SigningKeyFile);
        Assert.Equal("always", o.Audit.Fsync);
        Assert.Equal(TimeSpan.FromMinutes(1), o.Audit.CheckpointEvery);
        Assert.Equal("10.8.0.1:3128", o.Egress.Listen);
        Assert.Equal("learn", o.Egress.DefaultMode);
        Assert.False(o.Egress.BuiltinLoopback);
        Assert.Equal("follower", o.Cluster.Role);
        Assert.Equal("/etc/pg/c.pem", o.Cluster.CertFile);
        Assert.Equal("/etc/pg/c.key", o.Cluster.KeyFile);
        Assert.Equal("/etc/pg/ca.pem", o.Cluster.CaFile);
        Assert.Equal("https://leader:9443", o.Cluster.LeaderUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Cluster.PollInterval);
        Assert.Single(o.Cluster.TrustedKeys);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_config_files_directory()
    {
        using TempDirectory dir = new();
        string file = dir.Write("etc/pg.toml", """
            [node]
            data_dir = "state"
            [edge]
            cert_file = "certs/wild.pem"
            key_file = "/abs/key.pem"
            [admin]
            token_file = "../secrets/token"
            """);
        PolicyGateOptions o = ConfigLoader.Load(file);
        string etc = Path.Combine(dir.Path, "etc");
        Assert.Equal(etc, o.BaseDirectory);
        Assert.Equal(Path.Combine(etc, "state"), o.DataDirectory);
        Assert.Equal(Path.Combine(etc, "certs", "wild.pem"), o.Edge.CertFile);
        Assert.Equal("/abs/key.pem", o.Edge.KeyFile);
        Assert.Equal(Path.Combine(dir.Path, "secrets", "token"), o.Admin.TokenFile);
        Assert.Equal(Path.Combine(etc, "config", "tenants"), o.Inspection.TenantsDir);
        Assert.Equal("", o.Audit.KeyFile);
    }

    [Fact]
    public void Dotted_quoted_and_inline_table_keys_are_the_same_keys()
    {
        PolicyGateOptions o = ConfigLoader.LoadText("""
            edge = { base_domain = "a.example", timeouts = { idle = "1m" } }
            "node".mode = "production"
            [cluster]
            "role" = "leader"
            listen = "0.0.0.0:9443"
            cert_file = "c.pem"
            key_file = "c.key"
            ca_file = "ca.pem"
            """, "inline.toml", "/tmp");
        Assert.Equal("a.example", o.Edge.BaseDomain);
        Assert.Equal(TimeSpan.FromMinutes(1), o.Edge.Timeouts.Idle);
        Assert.Equal("production", o.Node.Mode);
        Assert.Equal("leader", o.Cluster.Role);
    }

    [Fact]
    public void Unknown_key_inside_an_inline_table_names_its_full_path_and_line()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadText(
            "[node]\nid = \"x\"\n\nedge = 1\n", "t.toml", "/tmp"));
        Assert.Equal("t.toml:4: node.edge: unknown key", e.Message);
        e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadText(
            "edge = { timeouts = { idel = \"1m\" } }\n", "t.toml", "/tmp"));
        Assert.Equal("t.toml:1: edge.timeouts.idel: unknown key (did you mean edge.timeouts.idle?)", e.Message);
    }

    [Fact]
    public void Check_config_output_is_valid_config_that_round_trips()
    {
        using TempDirectory dir = new();
        PolicyGateOptions first = ConfigLoader.Load(dir.Write("a.toml", "[edge.timeouts]\nidle = \"90s\"\n[inspection]\nhold_bytes = \"1536KiB\"\n"));
        string printed = ConfigPrinter.Print(first);
        PolicyGateOptions second = ConfigLoader.Load(dir.Write("a.toml", printed));
        Assert.Equal(printed, ConfigPrinter.Print(second));
        Assert.Contains("idle = \"90s\"", printed, StringComparison.Ordinal);
        Assert.Contains("hold_bytes = \"1536KiB\"", printed, StringComparison.Ordinal);
    }

    private static string WithoutHeader(string printed) => printed[(printed.IndexOf('\n') + 1)..];
}
