using System.Globalization;
using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>
/// Settings a reload cannot change — listeners, store, node identity, cluster, audit chain, admin token, shutdown timeout
/// (all read once when the host is built): the running value is kept and the key is reported.
/// </summary>
public static class RestartOnlySettings
{
    private static readonly RestartOnlySetting[] s_settings =
    [
        new("node.id", o => o.Node.Id, (to, from) => to.Node.Id = from.Node.Id),
        new("node.mode", o => o.Node.Mode, (to, from) => to.Node.Mode = from.Node.Mode),
        new("node.data_dir", o => o.DataDirectory, (to, from) => to.Node.DataDir = from.DataDirectory),
        new("edge.listen", o => Join(o.Edge.Listen), (to, from) => to.Edge.Listen = [.. from.Edge.Listen]),
        new("edge.acme", o => AcmeText(o.Edge.Acme), (to, from) => to.Edge.Acme = from.Edge.Acme),
        new("edge.timeouts.shutdown", o => Ticks(o.Edge.Timeouts.Shutdown), (to, from) => to.Edge.Timeouts.Shutdown = from.Edge.Timeouts.Shutdown),
        new("admin.listen", o => o.Admin.Listen, (to, from) => to.Admin.Listen = from.Admin.Listen),
        new("admin.token_file", o => o.Admin.TokenFile, (to, from) => to.Admin.TokenFile = from.Admin.TokenFile),
        new("metrics.listen", o => o.Metrics.Listen, (to, from) => to.Metrics.Listen = from.Metrics.Listen),
        new("store.kind", o => o.Store.Kind, (to, from) => to.Store.Kind = from.Store.Kind),
        new("store.connection_string", o => o.Store.ConnectionString, (to, from) => to.Store.ConnectionString = from.Store.ConnectionString),
        new("audit.dir", o => o.Audit.Dir.Length == 0 ? "" : o.ResolvePath(o.Audit.Dir), (to, from) => to.Audit.Dir = from.Audit.Dir),
        new("audit.key_file", o => o.Audit.KeyFile, (to, from) => to.Audit.KeyFile = from.Audit.KeyFile),
        new("audit.signing_key_file", o => o.Audit.SigningKeyFile, (to, from) => to.Audit.SigningKeyFile = from.Audit.SigningKeyFile),
        new("audit.fsync", o => o.Audit.Fsync, (to, from) => to.Audit.Fsync = from.Audit.Fsync),
        new("audit.checkpoint_every", o => Ticks(o.Audit.CheckpointEvery), (to, from) => to.Audit.CheckpointEvery = from.Audit.CheckpointEvery),
        new("egress.listen", o => o.Egress.Listen, (to, from) => to.Egress.Listen = from.Egress.Listen),
        new("cluster.role", o => o.Cluster.Role, (to, from) => to.Cluster.Role = from.Cluster.Role),
        new("cluster.listen", o => o.Cluster.Listen, (to, from) => to.Cluster.Listen = from.Cluster.Listen),
        new("cluster.cert_file", o => o.Cluster.CertFile, (to, from) => to.Cluster.CertFile = from.Cluster.CertFile),
        new("cluster.key_file", o => o.Cluster.KeyFile, (to, from) => to.Cluster.KeyFile = from.Cluster.KeyFile),
        new("cluster.ca_file", o => o.Cluster.CaFile, (to, from) => to.Cluster.CaFile = from.Cluster.CaFile),
        new("cluster.leader_url", o => o.Cluster.LeaderUrl, (to, from) => to.Cluster.LeaderUrl = from.Cluster.LeaderUrl),
        new("cluster.poll_interval", o => Ticks(o.Cluster.PollInterval), (to, from) => to.Cluster.PollInterval = from.Cluster.PollInterval),
        new("cluster.trusted_keys", o => Join(o.Cluster.TrustedKeys), (to, from) => to.Cluster.TrustedKeys = [.. from.Cluster.TrustedKeys]),
    ];

    /// <summary>The restart-only keys, in config order (docs/configuration.md marks the same).</summary>
    public static IReadOnlyList<string> Keys { get; } = s_settings.Select(static s => s.Key).ToArray();

    /// <summary>Copies every restart-only value of <paramref name="running"/> into <paramref name="reloaded"/>; returns the keys that differed.</summary>
    public static IReadOnlyList<string> Keep(PolicyGateOptions running, PolicyGateOptions reloaded)
    {
        List<string> kept = [];
        foreach (RestartOnlySetting setting in s_settings)
        {
            if (!string.Equals(setting.Text(running), setting.Text(reloaded), StringComparison.Ordinal))
            {
                kept.Add(setting.Key);
                setting.Copy(reloaded, running);
            }
        }

        return kept;
    }

    private static string Join(List<string> values) => string.Join('\n', values);

    /// <summary>[edge.acme] as one comparable text: the ACME service reads it once at start.</summary>
    private static string AcmeText(AcmeOptions a) => string.Join('\n',
        a.Enabled, a.DirectoryUrl, a.Email, a.TermsOfServiceAgreed, a.Challenge, Join(a.Names), a.DnsProvider, a.DnsExecCommand,
        Ticks(a.DnsExecTimeout), Ticks(a.DnsPropagationWait), a.CloudflareApiUrl, a.CloudflareTokenFile, a.CloudflareZoneId, a.CaFile,
        Ticks(a.OrderTimeout), Ticks(a.RenewJitter), Ticks(a.RetryInitial), Ticks(a.RetryMax));

    private static string Ticks(TimeSpan value) => value.Ticks.ToString(CultureInfo.InvariantCulture);

    private sealed record RestartOnlySetting(string Key, Func<PolicyGateOptions, string> Text, Action<PolicyGateOptions, PolicyGateOptions> Copy);
}
