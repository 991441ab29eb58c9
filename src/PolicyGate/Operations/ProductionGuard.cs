using PolicyGate.Configuration;

namespace PolicyGate.Operations;

/// <summary>Refuses a production start on each unsafe setting of DESIGN §11, naming the setting (one line, exit 2).</summary>
public static class ProductionGuard
{
    public const string AdminTokenVariable = "POLICYGATE_ADMIN_TOKEN";
    public const string AuditKeyVariable = "POLICYGATE_AUDIT_KEY";
    public const string StoreConnectionVariable = "POLICYGATE_STORE_CONNECTION";

    /// <summary>Throws <see cref="ConfigException"/> for the first unsafe setting when node.mode = production; dev mode passes.</summary>
    public static void Check(PolicyGateOptions options, Func<string, string?> environment)
    {
        string? refusal = FindRefusal(options, environment);
        if (refusal is not null)
        {
            throw new ConfigException($"{options.SourceFile ?? "config"}: {refusal}");
        }
    }

    /// <summary>The first refusal as `key: why`, or null when the options are safe (always null in dev mode).</summary>
    public static string? FindRefusal(PolicyGateOptions options, Func<string, string?> environment)
    {
        if (!options.IsProduction)
        {
            return null;
        }

        return SecretSource("admin.token_file", options.Admin.TokenFile, AdminTokenVariable, "admin token", options, environment)
            ?? SecretSource("audit.key_file", options.Audit.KeyFile, AuditKeyVariable, "audit HMAC key", options, environment)
            ?? CertificateFile("edge.cert_file", options.Edge.CertFile, options)
            ?? CertificateFile("edge.key_file", options.Edge.KeyFile, options)
            ?? FollowerKeys(options)
            ?? AdminListener(options)
            ?? InlineStorePassword(options);
    }

    private static string? SecretSource(string key, string file, string variable, string what, PolicyGateOptions options, Func<string, string?> environment)
    {
        if (file.Length == 0)
        {
            return string.IsNullOrEmpty(environment(variable))
                ? $"{key}: production mode needs the {what}: set {key} or env {variable}"
                : null;
        }

        string path = options.ResolvePath(file);
        return File.Exists(path) && new FileInfo(path).Length > 0
            ? null
            : $"{key}: {path} is missing or empty (production mode needs the {what})";
    }

    private static string? CertificateFile(string key, string file, PolicyGateOptions options)
    {
        if (file.Length == 0 && options.Edge.Acme.Enabled)
        {
            return null; // the ACME certificate is a real one
        }

        if (file.Length == 0)
        {
            return $"{key}: production mode refuses the dev self-signed certificate: set edge.cert_file and edge.key_file (PEM), or enable [edge.acme]";
        }

        string path = options.ResolvePath(file);
        return File.Exists(path) ? null : $"{key}: {path} does not exist";
    }

    private static string? FollowerKeys(PolicyGateOptions options) =>
        options.Cluster.Role == "follower" && options.Cluster.TrustedKeys.Count == 0
            ? "cluster.trusted_keys: a follower in production mode needs pinned bundle-signing keys"
            : null;

    private static string? AdminListener(PolicyGateOptions options) =>
        ConfigReaders.IsLoopback(options.Admin.Listen)
            ? null
            : $"admin.listen: {options.Admin.Listen} is not a loopback address; the admin API has no TLS, so production mode serves it on loopback only (put a TLS proxy in front)";

    private static string? InlineStorePassword(PolicyGateOptions options) =>
        ConnectionStringSecrets.ContainsPassword(options.Store.ConnectionString)
            ? $"store.connection_string: holds a password; production mode reads secrets only from env ({StoreConnectionVariable}) or files"
            : null;
}
