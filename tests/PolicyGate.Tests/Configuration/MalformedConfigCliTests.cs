using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Configuration;

/// <summary>Each malformed config, checked by the real CLI process: exit 2 and exactly one line `file:line: key: what is wrong`.</summary>
public sealed class MalformedConfigCliTests
{
    [Theory]
    [InlineData("[edge]\nlistn = [\"127.0.0.1:1\"]\n", "policygate.toml:2: edge.listn: unknown key (did you mean edge.listen?)")]
    [InlineData("mode = \"dev\"\n", "policygate.toml:1: mode: unknown key")]
    [InlineData("[node]\nid = \"a\"\n\n[edgee]\n", "policygate.toml:4: [edgee]: unknown table (did you mean edge?)")]
    [InlineData("[[edge]]\nlisten = []\n", "policygate.toml:1: [[edge]]: arrays of tables are not supported here")]
    [InlineData("[node]\nid = 5\n", "policygate.toml:2: node.id: expected a string, got an integer")]
    [InlineData("[edge]\nconnect_top_n = \"3\"\n", "policygate.toml:2: edge.connect_top_n: expected an integer, got a string")]
    [InlineData("[edge]\ninbound_proxy_protocol = \"yes\"\n", "policygate.toml:2: edge.inbound_proxy_protocol: expected true or false, got a string")]
    [InlineData("[edge]\ntimeouts = 3\n", "policygate.toml:2: edge.timeouts: expected a table, got an integer")]
    [InlineData("[edge.timeouts]\nidle = \"10 minutes\"\n", "policygate.toml:2: edge.timeouts.idle: '10 minutes' is not a duration (use a whole number with ms, s, m or h, e.g. 500ms, 5s, 10m, 5h)")]
    [InlineData("[edge]\ntimeouts.connect = \"1.5s\"\n", "policygate.toml:2: edge.timeouts.connect: '1.5s' is not a duration (use a whole number with ms, s, m or h, e.g. 500ms, 5s, 10m, 5h)")]
    [InlineData("[edge.timeouts]\nconnect = \"0s\"\n", "policygate.toml:2: edge.timeouts.connect: '0s' must be greater than zero")]
    [InlineData("[audit]\ncheckpoint_every = 30\n", "policygate.toml:2: audit.checkpoint_every: expected a duration string such as \"5s\", got an integer")]
    [InlineData("[inspection]\nhold_bytes = \"64KB\"\n", "policygate.toml:2: inspection.hold_bytes: '64KB' is not a size (use a whole number with B, KiB, MiB or GiB, e.g. 64KiB, 8MiB)")]
    [InlineData("[edge]\ntrusted_proxies = [\"127.0.0.1/32\", \"10.0.0.1/8\"]\n", "policygate.toml:2: edge.trusted_proxies: item 1: '10.0.0.1/8' is not a CIDR range (e.g. 10.0.0.0/8 or ::1/128; host bits must be zero)")]
    [InlineData("[edge]\ntrusted_proxies = [\"10.0.0.1\"]\n", "policygate.toml:2: edge.trusted_proxies: item 0: '10.0.0.1' is not a CIDR range (e.g. 10.0.0.0/8 or ::1/128; host bits must be zero)")]
    [InlineData("[admin]\nlisten = \"localhost:9080\"\n", "policygate.toml:2: admin.listen: 'localhost:9080' is not an address:port (e.g. 127.0.0.1:8443 or [::1]:8443)")]
    [InlineData("[edge]\nlisten = [\"127.0.0.1\"]\n", "policygate.toml:2: edge.listen: item 0: '127.0.0.1' is not an address:port (e.g. 127.0.0.1:8443 or [::1]:8443)")]
    [InlineData("[edge]\nlisten = []\n", "policygate.toml:2: edge.listen: must not be empty")]
    [InlineData("[node]\nmode = \"prod\"\n", "policygate.toml:2: node.mode: 'prod' is not one of \"dev\", \"production\"")]
    [InlineData("[edge]\ndefault_protocol = \"udp\"\n", "policygate.toml:2: edge.default_protocol: 'udp' is not one of \"http\", \"tcp\"")]
    [InlineData("[edge]\ntls_versions = [\"1.3\", \"1.1\"]\n", "policygate.toml:2: edge.tls_versions: item 1: '1.1' is not one of \"1.2\", \"1.3\"")]
    [InlineData("[store]\nkind = \"mysql\"\n", "policygate.toml:2: store.kind: 'mysql' is not one of \"sqlite\", \"postgres\"")]
    [InlineData("[audit]\nfsync = \"never\"\n", "policygate.toml:2: audit.fsync: 'never' is not one of \"always\", \"interval\"")]
    [InlineData("[egress]\ndefault_mode = \"open\"\n", "policygate.toml:2: egress.default_mode: 'open' is not one of \"strict\", \"learn\"")]
    [InlineData("[cluster]\nrole = \"primary\"\n", "policygate.toml:2: cluster.role: 'primary' is not one of \"standalone\", \"leader\", \"follower\"")]
    [InlineData("[port_policy_fetch]\nagent_port = 70000\n", "policygate.toml:2: port_policy_fetch.agent_port: 70000 is out of range 1..65535")]
    [InlineData("[edge]\nbase_domain = \"apps_example.com\"\n", "policygate.toml:2: edge.base_domain: 'apps_example.com' is not a DNS domain name (e.g. localhost or apps.example.com)")]
    [InlineData("[cluster]\ntrusted_keys = [\"sha256:abc\"]\n", "policygate.toml:2: cluster.trusted_keys: item 0: 'sha256:abc' is not a key fingerprint (sha256: followed by 64 lowercase hex digits)")]
    [InlineData("[node]\nmode = \"dev\"\nmode = \"dev\"\n", "policygate.toml:3: node.mode: set twice (first on line 2)")]
    [InlineData("[node]\n[node]\n", "policygate.toml:2: [node]: table defined twice (first on line 1)")]
    [InlineData("[admin]\nlisten = \"127.0.0.1:9400\"\n[metrics]\nlisten = \"127.0.0.1:9400\"\n", "policygate.toml:4: metrics.listen: 127.0.0.1:9400 clashes with admin.listen (127.0.0.1:9400)")]
    [InlineData("[cluster]\nrole = \"follower\"\n", "policygate.toml:2: cluster.role: \"follower\" needs cluster.leader_url")]
    [InlineData("[cluster]\nrole = \"leader\"\nlisten = \"127.0.0.1:9443\"\n", "policygate.toml:2: cluster.role: \"leader\" needs cluster.cert_file (mTLS between cluster peers)")]
    [InlineData("[cluster]\nlabels = [\"zone\"]\n", "policygate.toml:2: cluster.labels: item 0: 'zone' is not a label (key=value, key of [A-Za-z0-9_.-])")]
    [InlineData("[node\nmode = \"dev\"\n", "policygate.toml:1: Unexpected token found `␤` (token: `newline`) while expecting `]` (token: `closebracket`)")]
    [InlineData("[node]\nid = \"x\n", "policygate.toml:2: Invalid newline in a string")]
    public async Task Check_config_names_file_line_and_key_and_exits_2(string toml, string expected)
    {
        using TempDirectory dir = new();
        dir.Write("policygate.toml", toml);
        (int exit, string stdout, string stderr) = await PolicygateProcess.RunAsync(["check-config", "--config", "policygate.toml"], workingDirectory: dir.Path);
        Assert.Equal(2, exit);
        Assert.Equal(expected + "\n", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Missing_file_is_a_one_line_error()
    {
        using TempDirectory dir = new();
        (int exit, _, string stderr) = await PolicygateProcess.RunAsync(["check-config", "--config", "absent.toml"], workingDirectory: dir.Path);
        Assert.Equal(2, exit);
        Assert.Equal("absent.toml: file not found\n", stderr);
    }

    [Fact]
    public async Task Serve_with_a_bad_config_exits_2_before_binding_anything()
    {
        using TempDirectory dir = new();
        dir.Write("policygate.toml", "[edge.timeouts]\nidle = \"forever\"\n");
        (int exit, string stdout, string stderr) = await PolicygateProcess.RunAsync(["serve", "--config", "policygate.toml"], workingDirectory: dir.Path);
        Assert.Equal(2, exit);
        Assert.Equal("policygate.toml:2: edge.timeouts.idle: 'forever' is not a duration (use a whole number with ms, s, m or h, e.g. 500ms, 5s, 10m, 5h)\n", stderr);
        Assert.DoesNotContain("listening", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        (int exit, _, string stderr) = await PolicygateProcess.RunAsync(["check-config", "--bogus"]);
        Assert.Equal(2, exit);
        Assert.Equal("policygate: Unrecognized command or argument '--bogus'.\n", stderr);
    }
}
