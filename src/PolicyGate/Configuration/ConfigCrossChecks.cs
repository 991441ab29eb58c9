using System.Net;

namespace PolicyGate.Configuration;

/// <summary>Checks that span several keys (listener clashes, cluster role requirements, backoff bounds).</summary>
internal static class ConfigCrossChecks
{
    public static void Validate(PolicyGateOptions options, IReadOnlyDictionary<string, int> lines, string displayName)
    {
        string? Where(string key) => lines.TryGetValue(key, out int line) ? $"{displayName}:{line}: {key}" : $"{displayName}: {key}";

        if (options.Cluster.Role == "follower" && options.Cluster.LeaderUrl.Length == 0)
        {
            throw new ConfigException($"{Where("cluster.role")}: \"follower\" needs cluster.leader_url");
        }

        if (options.Cluster.Role == "leader" && options.Cluster.Listen.Length == 0)
        {
            throw new ConfigException($"{Where("cluster.role")}: \"leader\" needs cluster.listen");
        }

        if (options.PortPolicyFetch.BackoffInitial > options.PortPolicyFetch.BackoffMax)
        {
            throw new ConfigException($"{Where("port_policy_fetch.backoff_initial")}: must not exceed port_policy_fetch.backoff_max");
        }

        ValidateAcme(options.Edge.Acme, Where);
        if (options.Edge.TrustedProxiesFile.Length > 0)
        {
            CidrListFile.Read("edge.trusted_proxies_file", options.ResolvePath(options.Edge.TrustedProxiesFile));
        }

        List<(string Key, IPEndPoint EndPoint)> listeners = [];
        foreach ((string key, string value) in Listeners(options))
        {
            IPEndPoint endPoint = ListenAddress.Parse(value);
            foreach ((string otherKey, IPEndPoint other) in listeners)
            {
                if (other.Port == endPoint.Port && (other.Address.Equals(endPoint.Address) || IsAny(other.Address) || IsAny(endPoint.Address)))
                {
                    throw new ConfigException($"{Where(key)}: {value} clashes with {otherKey} ({other})");
                }
            }

            listeners.Add((key, endPoint));
        }
    }

    private static void ValidateAcme(AcmeOptions acme, Func<string, string?> where)
    {
        if (acme.RetryInitial > acme.RetryMax)
        {
            throw new ConfigException($"{where("edge.acme.retry_initial")}: must not exceed edge.acme.retry_max");
        }

        if (!acme.Enabled)
        {
            return;
        }

        if (!acme.TermsOfServiceAgreed)
        {
            throw new ConfigException($"{where("edge.acme.enabled")}: the ACME server's terms of service must be accepted: set edge.acme.terms_of_service_agreed = true");
        }

        if (acme.Challenge == "dns-01" && acme.DnsProvider == "exec" && acme.DnsExecCommand.Length == 0)
        {
            throw new ConfigException($"{where("edge.acme.dns_provider")}: \"exec\" needs edge.acme.dns_exec_command");
        }

        if (acme.Challenge == "tls-alpn-01")
        {
            if (acme.Names.Count == 0)
            {
                throw new ConfigException($"{where("edge.acme.challenge")}: \"tls-alpn-01\" needs edge.acme.names (a wildcard needs dns-01)");
            }
        }
    }

    /// <summary>Every configured listener as (key, address), in schema order.</summary>
    public static IEnumerable<(string Key, string Address)> Listeners(PolicyGateOptions options)
    {
        foreach (string edge in options.Edge.Listen)
        {
            yield return ("edge.listen", edge);
        }

        yield return ("admin.listen", options.Admin.Listen);
        yield return ("metrics.listen", options.Metrics.Listen);
        if (options.Egress.Listen.Length > 0)
        {
            yield return ("egress.listen", options.Egress.Listen);
        }

        if (options.Cluster.Listen.Length > 0)
        {
            yield return ("cluster.listen", options.Cluster.Listen);
        }
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
