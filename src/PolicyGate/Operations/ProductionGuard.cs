using PolicyGate.Configuration;
using PolicyGate.Core.Audit;

namespace PolicyGate.Operations;

/// <summary>Refuses a production start on each unsafe setting of DESIGN §11 (and any mode's unusable secret), naming each setting on its own line (exit 2).</summary>
public static class ProductionGuard
{
    public const string AdminTokenVariable = "POLICYGATE_ADMIN_TOKEN";
    public const string AuditKeyVariable = "POLICYGATE_AUDIT_KEY";
    public const string StoreConnectionVariable = "POLICYGATE_STORE_CONNECTION";

    /// <summary>Shortest admin token production mode accepts.</summary>
    public const int MinimumTokenLength = 32;

    private static readonly string[] s_placeholders = ["REPLACE", "CHANGEME", "CHANGE-ME", "EXAMPLE", "PLACEHOLDER", "SECRET"];

    /// <summary>Throws <see cref="ConfigException"/> listing every refusal (one line each) when node.mode = production or a given secret is unusable.</summary>
    public static void Check(PolicyGateOptions options, Func<string, string?> environment)
    {
        IReadOnlyList<string> refusals = FindRefusals(options, environment);
        if (refusals.Count > 0)
        {
            string prefix = (options.SourceFile ?? "config") + ": ";
            throw new ConfigException(string.Join('\n', refusals.Select(r => prefix + r)));
        }
    }

    /// <summary>The first refusal as `key: why`, or null when the options are safe.</summary>
    public static string? FindRefusal(PolicyGateOptions options, Func<string, string?> environment) =>
        FindRefusals(options, environment).FirstOrDefault();

    /// <summary>
    /// Every refusal as `key: why`: in any mode a secret that is given but unusable (serve would stop on it later);
    /// in production mode also missing, short or placeholder secrets and every unsafe setting of DESIGN §11.
    /// </summary>
    public static IReadOnlyList<string> FindRefusals(PolicyGateOptions options, Func<string, string?> environment)
    {
        List<string> refusals = [];
        Add(refusals, AdminTokenProblem(options, environment));
        Add(refusals, AuditKeyProblem(options, environment));
        if (!options.IsProduction)
        {
            return refusals;
        }

        Add(refusals, CertificateFile("edge.cert_file", options.Edge.CertFile, options));
        Add(refusals, CertificateFile("edge.key_file", options.Edge.KeyFile, options));
        Add(refusals, FollowerKeys(options));
        Add(refusals, AdminListener(options));
        Add(refusals, InlineStorePassword(options));
        return refusals;
    }

    private static void Add(List<string> refusals, string? refusal)
    {
        if (refusal is not null)
        {
            refusals.Add(refusal);
        }
    }

    private static string? AdminTokenProblem(PolicyGateOptions options, Func<string, string?> environment)
    {
        const string key = "admin.token_file";
        string? token;
        string where;
        if (options.Admin.TokenFile.Length > 0)
        {
            where = options.ResolvePath(options.Admin.TokenFile);
            token = ReadSecret(where);
            if (string.IsNullOrEmpty(token))
            {
                return $"{key}: {where} is missing or empty" + (options.IsProduction ? " (production mode needs the admin token)" : "");
            }
        }
        else
        {
            where = "env " + AdminTokenVariable;
            token = environment(AdminTokenVariable)?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                return options.IsProduction ? $"{key}: production mode needs the admin token: set {key} or env {AdminTokenVariable}" : null;
            }
        }

        if (!options.IsProduction)
        {
            return null;
        }

        if (s_placeholders.Any(p => token.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            return $"{key}: the admin token from {where} is a placeholder; generate one with `openssl rand -hex 32`";
        }

        return token.Length < MinimumTokenLength || token.Distinct().Count() < 10
            ? $"{key}: the admin token from {where} is weak ({token.Length} characters); production mode needs at least {MinimumTokenLength} random characters (`openssl rand -hex 32`)"
            : null;
    }

    private static string? AuditKeyProblem(PolicyGateOptions options, Func<string, string?> environment)
    {
        string? error;
        if (options.Audit.KeyFile.Length > 0)
        {
            string path = options.ResolvePath(options.Audit.KeyFile);
            if (!File.Exists(path) || new FileInfo(path).Length == 0)
            {
                return $"audit.key_file: {path} is missing or empty" + (options.IsProduction ? " (production mode needs the audit HMAC key)" : "");
            }

            return HexKey.TryReadFile(path, out error) is null ? "audit.key_file: " + error + " (a key is 32 random bytes as 64 hex characters: `openssl rand -hex 32`)" : null;
        }

        string? env = environment(AuditKeyVariable);
        if (string.IsNullOrWhiteSpace(env))
        {
            return options.IsProduction ? $"audit.key_file: production mode needs the audit HMAC key: set audit.key_file or env {AuditKeyVariable}" : null;
        }

        return HexKey.TryParse(env, out error) is null ? $"{AuditKeyVariable}: {error} (a key is 32 random bytes as 64 hex characters: `openssl rand -hex 32`)" : null;
    }

    private static string? ReadSecret(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
