using System.Text.RegularExpressions;
using R = PolicyGate.Configuration.ConfigReaders;

namespace PolicyGate.Configuration;

/// <summary>Every key of DESIGN §3, in document order: its reader, its place in <see cref="PolicyGateOptions"/> and its printed form.</summary>
internal static partial class ConfigSchema
{
    public const string ProductionMode = "production";

    private static readonly ConfigValueReader<string> s_text = R.Text();

    /// <summary>Tables that may appear as `[name]` headers, in print order.</summary>
    public static IReadOnlyList<string> Tables { get; } =
        ["node", "edge", "edge.timeouts", "edge.acme", "port_policy_fetch", "admin", "metrics", "store", "inspection", "audit", "egress", "cluster"];

    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        Key("node.id", s_text, o => o.Node.Id, (o, v) => o.Node.Id = v),
        Key("node.mode", R.OneOf("dev", ProductionMode), o => o.Node.Mode, (o, v) => o.Node.Mode = v),
        PathKey("node.data_dir", o => o.Node.DataDir, (o, v) => o.Node.DataDir = v, allowEmpty: false),

        ListKey("edge.listen", R.ListOf(R.Listen(optional: false), allowEmpty: false), o => o.Edge.Listen, (o, v) => o.Edge.Listen = v),
        Key("edge.base_domain", R.Text(ValidateDomain), o => o.Edge.BaseDomain, (o, v) => o.Edge.BaseDomain = v.TrimEnd('.').ToLowerInvariant()),
        PathKey("edge.cert_file", o => o.Edge.CertFile, (o, v) => o.Edge.CertFile = v),
        PathKey("edge.key_file", o => o.Edge.KeyFile, (o, v) => o.Edge.KeyFile = v),
        ListKey("edge.tls_versions", R.ListOf(R.OneOf("1.2", "1.3"), allowEmpty: false), o => o.Edge.TlsVersions, (o, v) => o.Edge.TlsVersions = v),
        FlagKey("edge.inbound_proxy_protocol", o => o.Edge.InboundProxyProtocol, (o, v) => o.Edge.InboundProxyProtocol = v),
        ListKey("edge.trusted_proxies", R.ListOf(R.Cidr, allowEmpty: true), o => o.Edge.TrustedProxies, (o, v) => o.Edge.TrustedProxies = v),
        PathKey("edge.trusted_proxies_file", o => o.Edge.TrustedProxiesFile, (o, v) => o.Edge.TrustedProxiesFile = v),
        PathKey("edge.client_ca_file", o => o.Edge.ClientCaFile, (o, v) => o.Edge.ClientCaFile = v),
        Key("edge.client_ca_passthrough", R.OneOf("refuse", "allow"), o => o.Edge.ClientCaPassthrough, (o, v) => o.Edge.ClientCaPassthrough = v),
        Key("edge.default_protocol", R.OneOf("http", "tcp"), o => o.Edge.DefaultProtocol, (o, v) => o.Edge.DefaultProtocol = v),
        IntKey("edge.connect_top_n", 1, 64, o => o.Edge.ConnectTopN, (o, v) => o.Edge.ConnectTopN = v),
        IntKey("edge.max_connections_per_app", 1, 10_000_000, o => o.Edge.MaxConnectionsPerApp, (o, v) => o.Edge.MaxConnectionsPerApp = v),
        DurationKey("edge.instance_stale_after", o => o.Edge.InstanceStaleAfter, (o, v) => o.Edge.InstanceStaleAfter = v),
        DurationKey("edge.timeouts.handshake", o => o.Edge.Timeouts.Handshake, (o, v) => o.Edge.Timeouts.Handshake = v),
        DurationKey("edge.timeouts.connect", o => o.Edge.Timeouts.Connect, (o, v) => o.Edge.Timeouts.Connect = v),
        DurationKey("edge.timeouts.pp_header", o => o.Edge.Timeouts.PpHeader, (o, v) => o.Edge.Timeouts.PpHeader = v),
        DurationKey("edge.timeouts.idle", o => o.Edge.Timeouts.Idle, (o, v) => o.Edge.Timeouts.Idle = v),
        DurationKey("edge.timeouts.total", o => o.Edge.Timeouts.Total, (o, v) => o.Edge.Timeouts.Total = v),
        DurationKey("edge.timeouts.shutdown", o => o.Edge.Timeouts.Shutdown, (o, v) => o.Edge.Timeouts.Shutdown = v),
        FlagKey("edge.acme.enabled", o => o.Edge.Acme.Enabled, (o, v) => o.Edge.Acme.Enabled = v),
        Key("edge.acme.directory_url", R.Text(ValidateHttpsUrl), o => o.Edge.Acme.DirectoryUrl, (o, v) => o.Edge.Acme.DirectoryUrl = v),
        Key("edge.acme.email", R.Text(v => v.Length == 0 || (v.Contains('@') && !v.Contains(' ')) ? null : $"'{v}' is not an e-mail address"),
            o => o.Edge.Acme.Email, (o, v) => o.Edge.Acme.Email = v),
        FlagKey("edge.acme.terms_of_service_agreed", o => o.Edge.Acme.TermsOfServiceAgreed, (o, v) => o.Edge.Acme.TermsOfServiceAgreed = v),
        Key("edge.acme.challenge", R.OneOf("dns-01", "tls-alpn-01"), o => o.Edge.Acme.Challenge, (o, v) => o.Edge.Acme.Challenge = v),
        ListKey("edge.acme.names", R.ListOf(R.Text(ValidateDomain), allowEmpty: true), o => o.Edge.Acme.Names,
            (o, v) => o.Edge.Acme.Names = [.. v.Select(static n => n.TrimEnd('.').ToLowerInvariant())]),
        Key("edge.acme.dns_provider", R.OneOf("cloudflare", "exec"), o => o.Edge.Acme.DnsProvider, (o, v) => o.Edge.Acme.DnsProvider = v),
        PathKey("edge.acme.dns_exec_command", o => o.Edge.Acme.DnsExecCommand, (o, v) => o.Edge.Acme.DnsExecCommand = v),
        DurationKey("edge.acme.dns_exec_timeout", o => o.Edge.Acme.DnsExecTimeout, (o, v) => o.Edge.Acme.DnsExecTimeout = v),
        DurationKey("edge.acme.dns_propagation_wait", o => o.Edge.Acme.DnsPropagationWait, (o, v) => o.Edge.Acme.DnsPropagationWait = v),
        Key("edge.acme.cloudflare_api_url", R.Text(ValidateHttpsUrl), o => o.Edge.Acme.CloudflareApiUrl, (o, v) => o.Edge.Acme.CloudflareApiUrl = v),
        PathKey("edge.acme.cloudflare_token_file", o => o.Edge.Acme.CloudflareTokenFile, (o, v) => o.Edge.Acme.CloudflareTokenFile = v),
        Key("edge.acme.cloudflare_zone_id", s_text, o => o.Edge.Acme.CloudflareZoneId, (o, v) => o.Edge.Acme.CloudflareZoneId = v),
        PathKey("edge.acme.ca_file", o => o.Edge.Acme.CaFile, (o, v) => o.Edge.Acme.CaFile = v),
        DurationKey("edge.acme.order_timeout", o => o.Edge.Acme.OrderTimeout, (o, v) => o.Edge.Acme.OrderTimeout = v),
        DurationKey("edge.acme.renew_jitter", o => o.Edge.Acme.RenewJitter, (o, v) => o.Edge.Acme.RenewJitter = v),
        DurationKey("edge.acme.retry_initial", o => o.Edge.Acme.RetryInitial, (o, v) => o.Edge.Acme.RetryInitial = v),
        DurationKey("edge.acme.retry_max", o => o.Edge.Acme.RetryMax, (o, v) => o.Edge.Acme.RetryMax = v),

        IntKey("port_policy_fetch.agent_port", 1, 65535, o => o.PortPolicyFetch.AgentPort, (o, v) => o.PortPolicyFetch.AgentPort = v),
        Key("port_policy_fetch.path", R.Text(v => v.StartsWith('/') ? null : $"'{v}' must start with /"), o => o.PortPolicyFetch.Path, (o, v) => o.PortPolicyFetch.Path = v),
        DurationKey("port_policy_fetch.timeout", o => o.PortPolicyFetch.Timeout, (o, v) => o.PortPolicyFetch.Timeout = v),
        IntKey("port_policy_fetch.max_retries", 0, 100, o => o.PortPolicyFetch.MaxRetries, (o, v) => o.PortPolicyFetch.MaxRetries = v),
        DurationKey("port_policy_fetch.backoff_initial", o => o.PortPolicyFetch.BackoffInitial, (o, v) => o.PortPolicyFetch.BackoffInitial = v),
        DurationKey("port_policy_fetch.backoff_max", o => o.PortPolicyFetch.BackoffMax, (o, v) => o.PortPolicyFetch.BackoffMax = v),

        Key("admin.listen", R.Listen(optional: false), o => o.Admin.Listen, (o, v) => o.Admin.Listen = v),
        PathKey("admin.token_file", o => o.Admin.TokenFile, (o, v) => o.Admin.TokenFile = v),

        Key("metrics.listen", R.Listen(optional: false), o => o.Metrics.Listen, (o, v) => o.Metrics.Listen = v),

        Key("store.kind", R.OneOf("sqlite", "postgres"), o => o.Store.Kind, (o, v) => o.Store.Kind = v),
        ConfigKey.Of("store.connection_string", s_text, o => o.Store.ConnectionString, (o, v) => o.Store.ConnectionString = v,
            v => ConfigToml.Quote(ConnectionStringSecrets.MaskPasswords(v))),

        PathKey("inspection.tenants_dir", o => o.Inspection.TenantsDir, (o, v) => o.Inspection.TenantsDir = v, allowEmpty: false),
        ConfigKey.Of("inspection.hold_bytes", R.Size, o => o.Inspection.HoldBytes, (o, v) => o.Inspection.HoldBytes = v, v => ConfigToml.Quote(ConfigValues.FormatSize(v))),

        PathKey("audit.dir", o => o.Audit.Dir, (o, v) => o.Audit.Dir = v),
        PathKey("audit.key_file", o => o.Audit.KeyFile, (o, v) => o.Audit.KeyFile = v),
        PathKey("audit.signing_key_file", o => o.Audit.SigningKeyFile, (o, v) => o.Audit.SigningKeyFile = v),
        Key("audit.fsync", R.OneOf("always", "interval"), o => o.Audit.Fsync, (o, v) => o.Audit.Fsync = v),
        DurationKey("audit.checkpoint_every", o => o.Audit.CheckpointEvery, (o, v) => o.Audit.CheckpointEvery = v),

        Key("egress.listen", R.Listen(optional: true), o => o.Egress.Listen, (o, v) => o.Egress.Listen = v),
        Key("egress.default_mode", R.OneOf("strict", "learn"), o => o.Egress.DefaultMode, (o, v) => o.Egress.DefaultMode = v),
        FlagKey("egress.builtin_loopback", o => o.Egress.BuiltinLoopback, (o, v) => o.Egress.BuiltinLoopback = v),

        Key("cluster.role", R.OneOf("standalone", "leader", "follower"), o => o.Cluster.Role, (o, v) => o.Cluster.Role = v),
        Key("cluster.listen", R.Listen(optional: true), o => o.Cluster.Listen, (o, v) => o.Cluster.Listen = v),
        PathKey("cluster.cert_file", o => o.Cluster.CertFile, (o, v) => o.Cluster.CertFile = v),
        PathKey("cluster.key_file", o => o.Cluster.KeyFile, (o, v) => o.Cluster.KeyFile = v),
        PathKey("cluster.ca_file", o => o.Cluster.CaFile, (o, v) => o.Cluster.CaFile = v),
        Key("cluster.leader_url", R.Text(ValidateLeaderUrl), o => o.Cluster.LeaderUrl, (o, v) => o.Cluster.LeaderUrl = v),
        DurationKey("cluster.poll_interval", o => o.Cluster.PollInterval, (o, v) => o.Cluster.PollInterval = v),
        ListKey("cluster.trusted_keys", R.ListOf(R.Text(ValidateKeyFingerprint), allowEmpty: true), o => o.Cluster.TrustedKeys, (o, v) => o.Cluster.TrustedKeys = v),
    ];

    private static ConfigKey Key(string path, ConfigValueReader<string> read, Func<PolicyGateOptions, string> get, Action<PolicyGateOptions, string> set) =>
        ConfigKey.Of(path, read, get, set, ConfigToml.Quote);

    private static ConfigKey PathKey(string path, Func<PolicyGateOptions, string> get, Action<PolicyGateOptions, string> set, bool allowEmpty = true) =>
        ConfigKey.Of(path, allowEmpty ? s_text : R.Text(v => v.Length == 0 ? "must not be empty" : null), get,
            (o, v) => set(o, v.Length == 0 ? v : o.ResolvePath(v)), ConfigToml.Quote);

    private static ConfigKey ListKey(string path, ConfigValueReader<List<string>> read, Func<PolicyGateOptions, List<string>> get, Action<PolicyGateOptions, List<string>> set) =>
        ConfigKey.Of(path, read, get, set, ConfigToml.Array);

    private static ConfigKey FlagKey(string path, Func<PolicyGateOptions, bool> get, Action<PolicyGateOptions, bool> set) =>
        ConfigKey.Of(path, R.Flag, get, set, ConfigToml.Bool);

    private static ConfigKey IntKey(string path, int min, int max, Func<PolicyGateOptions, int> get, Action<PolicyGateOptions, int> set) =>
        ConfigKey.Of(path, R.Integer(min, max), get, set, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ConfigKey DurationKey(string path, Func<PolicyGateOptions, TimeSpan> get, Action<PolicyGateOptions, TimeSpan> set) =>
        ConfigKey.Of(path, R.Duration, get, set, v => ConfigToml.Quote(ConfigValues.FormatDuration(v)));

    private static string? ValidateDomain(string value) =>
        DomainName().IsMatch(value.TrimEnd('.')) ? null : $"'{value}' is not a DNS domain name (e.g. localhost or apps.example.com)";

    private static string? ValidateLeaderUrl(string value) =>
        value.Length == 0 || (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0)
            ? null
            : $"'{value}' is not an https:// URL (e.g. https://leader:9443)";

    private static string? ValidateHttpsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
            ? null
            : $"'{value}' is not an http(s):// URL";

    private static string? ValidateKeyFingerprint(string value) =>
        KeyFingerprint().IsMatch(value) ? null : $"'{value}' is not a key fingerprint (sha256: followed by 64 lowercase hex digits)";

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DomainName();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyFingerprint();
}
