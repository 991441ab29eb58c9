using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>Settings a reload cannot change (listeners, store, cluster role, node identity, audit dir): the running value is kept.</summary>
public static class RestartOnlySettings
{
    /// <summary>Copies every restart-only value of <paramref name="running"/> into <paramref name="reloaded"/>; returns the keys that differed.</summary>
    public static IReadOnlyList<string> Keep(PolicyGateOptions running, PolicyGateOptions reloaded)
    {
        List<string> kept = [];
        void Check<T>(string key, Func<PolicyGateOptions, T> get, Action<PolicyGateOptions, T> set, Func<T, string> text)
        {
            if (text(get(running)) != text(get(reloaded)))
            {
                kept.Add(key);
                set(reloaded, get(running));
            }
        }

        static string List(List<string> values) => string.Join('\n', values);
        static string Same(string value) => value;

        Check("edge.listen", o => o.Edge.Listen, (o, v) => o.Edge.Listen = [.. v], List);
        Check("admin.listen", o => o.Admin.Listen, (o, v) => o.Admin.Listen = v, Same);
        Check("metrics.listen", o => o.Metrics.Listen, (o, v) => o.Metrics.Listen = v, Same);
        Check("egress.listen", o => o.Egress.Listen, (o, v) => o.Egress.Listen = v, Same);
        Check("cluster.listen", o => o.Cluster.Listen, (o, v) => o.Cluster.Listen = v, Same);
        Check("store.kind", o => o.Store.Kind, (o, v) => o.Store.Kind = v, Same);
        Check("store.connection_string", o => o.Store.ConnectionString, (o, v) => o.Store.ConnectionString = v, Same);
        Check("cluster.role", o => o.Cluster.Role, (o, v) => o.Cluster.Role = v, Same);
        Check("node.id", o => o.Node.Id, (o, v) => o.Node.Id = v, Same);
        Check("node.mode", o => o.Node.Mode, (o, v) => o.Node.Mode = v, Same);
        Check("node.data_dir", o => o.DataDirectory, (o, v) => o.Node.DataDir = v, Same);
        Check("access_log.enabled", o => o.AccessLog.Enabled, (o, v) => o.AccessLog.Enabled = v, v => v ? "true" : "false");
        Check("access_log.path", o => o.AccessLog.Path, (o, v) => o.AccessLog.Path = v, Same);
        Check("access_log.queue_size", o => o.AccessLog.QueueSize, (o, v) => o.AccessLog.QueueSize = v, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("audit.dir", o => o.Audit.Dir.Length == 0 ? "" : o.ResolvePath(o.Audit.Dir), (o, v) => o.Audit.Dir = v, Same);
        return kept;
    }
}
