namespace PolicyGate.Configuration;

/// <summary>The effective configuration of one node (DESIGN §3); every value has its documented default.</summary>
public sealed class PolicyGateOptions
{
    /// <summary>The config file this was read from, or null for the embedded defaults.</summary>
    public string? SourceFile { get; set; }

    /// <summary>Directory relative paths resolve against (config file's directory, else the working directory).</summary>
    public string BaseDirectory { get; set; } = Directory.GetCurrentDirectory();

    public NodeOptions Node { get; set; } = new();
    public EdgeOptions Edge { get; set; } = new();
    public PortPolicyFetchOptions PortPolicyFetch { get; set; } = new();
    public AdminOptions Admin { get; set; } = new();
    public MetricsOptions Metrics { get; set; } = new();
    public StoreOptions Store { get; set; } = new();
    public InspectionOptions Inspection { get; set; } = new();
    public AuditOptions Audit { get; set; } = new();
    public EgressOptions Egress { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>True when --demo was given (demo backends registered as app `demo`).</summary>
    public bool Demo { get; set; }

    public bool IsProduction => string.Equals(Node.Mode, "production", StringComparison.Ordinal);

    /// <summary>Resolves a configured path against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path));

    /// <summary>Absolute data directory.</summary>
    public string DataDirectory => ResolvePath(Node.DataDir);
}

public sealed class NodeOptions
{
    public string Id { get; set; } = "";
    public string Mode { get; set; } = "dev";
    public string DataDir { get; set; } = "./data";

    /// <summary>The node id, defaulting to the host name.</summary>
    public string EffectiveId => string.IsNullOrEmpty(Id) ? System.Net.Dns.GetHostName() : Id;
}

public sealed class EdgeOptions
{
    public List<string> Listen { get; set; } = ["127.0.0.1:8443"];
    public string BaseDomain { get; set; } = "localhost";
    public string CertFile { get; set; } = "";
    public string KeyFile { get; set; } = "";
    public List<string> TlsVersions { get; set; } = ["1.2", "1.3"];
    public bool InboundProxyProtocol { get; set; }
    public List<string> TrustedProxies { get; set; } = ["127.0.0.1/32", "::1/128"];
    public string TrustedProxiesFile { get; set; } = "";
    public string ClientCaFile { get; set; } = "";
    public string ClientCaPassthrough { get; set; } = "refuse";
    public string DefaultProtocol { get; set; } = "http";
    public int ConnectTopN { get; set; } = 3;
    public int MaxConnectionsPerApp { get; set; } = 2000;
    public TimeSpan InstanceStaleAfter { get; set; } = TimeSpan.FromMinutes(30);
    public EdgeTimeoutOptions Timeouts { get; set; } = new();
    public AcmeOptions Acme { get; set; } = new();
}

/// <summary>[edge.acme]: the edge certificate obtained and renewed by ACME (RFC 8555).</summary>
public sealed class AcmeOptions
{
    public bool Enabled { get; set; }
    public string DirectoryUrl { get; set; } = "https://acme-v02.api.letsencrypt.org/directory";
    public string Email { get; set; } = "";
    public bool TermsOfServiceAgreed { get; set; }
    public string Challenge { get; set; } = "dns-01";
    public List<string> Names { get; set; } = [];
    public string DnsProvider { get; set; } = "cloudflare";
    public string DnsExecCommand { get; set; } = "";
    public TimeSpan DnsExecTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan DnsPropagationWait { get; set; } = TimeSpan.FromSeconds(10);
    public string CloudflareApiUrl { get; set; } = "https://api.cloudflare.com/client/v4";
    public string CloudflareTokenFile { get; set; } = "";
    public string CloudflareZoneId { get; set; } = "";
    public string CaFile { get; set; } = "";
    public TimeSpan OrderTimeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan RenewJitter { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromHours(1);
}

public sealed class EdgeTimeoutOptions
{
    public TimeSpan Handshake { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Connect { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan PpHeader { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Idle { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan Total { get; set; } = TimeSpan.FromHours(5);
    public TimeSpan Shutdown { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class PortPolicyFetchOptions
{
    public int AgentPort { get; set; } = 8090;
    public string Path { get; set; } = "/info";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetries { get; set; } = 5;
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class AdminOptions
{
    public string Listen { get; set; } = "127.0.0.1:9080";
    public string TokenFile { get; set; } = "";
}

public sealed class MetricsOptions
{
    public string Listen { get; set; } = "127.0.0.1:9090";
}

public sealed class StoreOptions
{
    public string Kind { get; set; } = "sqlite";
    public string ConnectionString { get; set; } = "";
}

public sealed class InspectionOptions
{
    public string TenantsDir { get; set; } = "config/tenants";
    public long HoldBytes { get; set; } = 64 * 1024;
}

public sealed class AuditOptions
{
    public string Dir { get; set; } = "";
    public string KeyFile { get; set; } = "";
    public string SigningKeyFile { get; set; } = "";
    public string Fsync { get; set; } = "interval";
    public TimeSpan CheckpointEvery { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class EgressOptions
{
    public string Listen { get; set; } = "";
    public string DefaultMode { get; set; } = "strict";
    public bool BuiltinLoopback { get; set; } = true;
}

public sealed class ClusterOptions
{
    public string Role { get; set; } = "standalone";
    public string Listen { get; set; } = "";
    public string CertFile { get; set; } = "";
    public string KeyFile { get; set; } = "";
    public string CaFile { get; set; } = "";
    public string LeaderUrl { get; set; } = "";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public List<string> TrustedKeys { get; set; } = [];
}
