using PolicyGate.Configuration;

namespace PolicyGate.Tests.Configuration;

/// <summary>[edge.acme], edge.client_ca_file and edge.trusted_proxies_file: values read, and bad input refused with file:line.</summary>
public sealed class AcmeConfigTests
{
    [Fact]
    public void Acme_table_is_read_with_paths_resolved_against_the_config_directory()
    {
        PolicyGateOptions o = ConfigLoader.LoadText("""
            [edge]
            base_domain = "apps.example.com"
            client_ca_file = "origin-pull-ca.pem"
            client_ca_passthrough = "allow"

            [edge.acme]
            enabled = true
            terms_of_service_agreed = true
            email = "ops@example.com"
            dns_provider = "exec"
            dns_exec_command = "hooks/dns.sh"
            dns_propagation_wait = "30s"
            names = ["Extra.Example.com."]
            retry_initial = "5m"
            retry_max = "2h"
            """, "policygate.toml", "/etc/policygate");

        Assert.True(o.Edge.Acme.Enabled);
        Assert.Equal("/etc/policygate/hooks/dns.sh", o.Edge.Acme.DnsExecCommand);
        Assert.Equal("/etc/policygate/origin-pull-ca.pem", o.Edge.ClientCaFile);
        Assert.Equal("allow", o.Edge.ClientCaPassthrough);
        Assert.Equal(["extra.example.com"], o.Edge.Acme.Names);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Edge.Acme.DnsPropagationWait);
        Assert.Equal(["*.apps.example.com", "apps.example.com", "extra.example.com"], PolicyGate.Acme.AcmeSettings.From(o).Names);
    }

    [Theory]
    [InlineData("[edge.acme]\nchallenge = \"http-01\"\n", "policygate.toml:2: edge.acme.challenge: 'http-01' is not one of \"dns-01\", \"tls-alpn-01\"")]
    [InlineData("[edge.acme]\nenabled = true\n", "policygate.toml:2: edge.acme.enabled: the ACME server's terms of service must be accepted: set edge.acme.terms_of_service_agreed = true")]
    [InlineData("[edge.acme]\nenabled = true\nterms_of_service_agreed = true\ndns_provider = \"exec\"\n", "policygate.toml:4: edge.acme.dns_provider: \"exec\" needs edge.acme.dns_exec_command")]
    [InlineData("[edge.acme]\nenabled = true\nterms_of_service_agreed = true\nchallenge = \"tls-alpn-01\"\n", "policygate.toml:4: edge.acme.challenge: \"tls-alpn-01\" needs edge.acme.names (a wildcard needs dns-01)")]
    [InlineData("[edge.acme]\nretry_initial = \"2h\"\n", "policygate.toml:2: edge.acme.retry_initial: must not exceed edge.acme.retry_max")]
    [InlineData("[edge.acme]\nnames = [\"*.example.com\"]\n", "policygate.toml:2: edge.acme.names: item 0: '*.example.com' is not a DNS domain name (e.g. localhost or apps.example.com)")]
    [InlineData("[edge.acme]\ndirectory_url = \"ftp://x\"\n", "policygate.toml:2: edge.acme.directory_url: 'ftp://x' is not an http(s):// URL")]
    [InlineData("[edge.acme]\nenable = true\n", "policygate.toml:2: edge.acme.enable: unknown key (did you mean edge.acme.enabled?)")]
    [InlineData("[edge]\nclient_ca_passthrough = \"maybe\"\n", "policygate.toml:2: edge.client_ca_passthrough: 'maybe' is not one of \"refuse\", \"allow\"")]
    public void Bad_acme_and_origin_pull_settings_are_refused_with_file_and_line(string toml, string expected)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadText(toml, "policygate.toml", Path.GetTempPath()));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Trusted_proxies_file_with_a_bad_line_is_refused_naming_that_file_and_line()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pg-cidrs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "cloudflare.txt"), "# ips-v4\n173.245.48.0/20\n\n103.21.244.0/33\n");

            ConfigException e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadText("[edge]\ntrusted_proxies_file = \"cloudflare.txt\"\n", "policygate.toml", dir));

            Assert.Equal($"{Path.Combine(dir, "cloudflare.txt")}:4: edge.trusted_proxies_file: '103.21.244.0/33' is not a CIDR range (e.g. 10.0.0.0/8 or ::1/128; host bits must be zero)", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
