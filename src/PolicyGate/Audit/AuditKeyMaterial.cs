using PolicyGate.Configuration;
using PolicyGate.Core.Audit;

namespace PolicyGate.Audit;

/// <summary>The node's audit keys, resolved from config, env or (dev) generated files in the data dir (DESIGN §3 [audit]).</summary>
public sealed class AuditKeyMaterial
{
    public const string KeyEnvironmentVariable = "POLICYGATE_AUDIT_KEY";
    public const string DevKeyFile = "audit.key";
    public const string NodeKeyFile = "node.key";
    public const string NodePublicKeyFile = "node.pub";

    private AuditKeyMaterial(AuditHmacKey hmacKey, AuditSigningKey signingKey, string directory)
    {
        HmacKey = hmacKey;
        SigningKey = signingKey;
        Directory = directory;
    }

    public AuditHmacKey HmacKey { get; }
    public AuditSigningKey SigningKey { get; }

    /// <summary>The absolute audit directory (audit.dir, default &lt;data_dir&gt;/audit).</summary>
    public string Directory { get; }

    /// <summary>Resolves every key; throws <see cref="ConfigException"/> naming the setting when one is missing or bad.</summary>
    public static AuditKeyMaterial Resolve(PolicyGateOptions options)
    {
        string directory = string.IsNullOrEmpty(options.Audit.Dir) ? Path.Combine(options.DataDirectory, "audit") : options.ResolvePath(options.Audit.Dir);
        return new AuditKeyMaterial(ResolveHmacKey(options), ResolveSigningKey(options), directory);
    }

    private static AuditHmacKey ResolveHmacKey(PolicyGateOptions options)
    {
        if (!string.IsNullOrEmpty(options.Audit.KeyFile))
        {
            return new AuditHmacKey(HexKey.TryReadFile(options.ResolvePath(options.Audit.KeyFile), out string? error)
                ?? throw new ConfigException("audit.key_file: " + error));
        }
        string? env = Environment.GetEnvironmentVariable(KeyEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return new AuditHmacKey(HexKey.TryParse(env, out string? error)
                ?? throw new ConfigException(KeyEnvironmentVariable + ": " + error));
        }
        if (options.IsProduction)
        {
            throw new ConfigException($"audit.key_file: production mode needs an audit HMAC key (set audit.key_file or {KeyEnvironmentVariable})");
        }
        string path = Path.Combine(EnsureDataDirectory(options), DevKeyFile);
        if (!File.Exists(path))
        {
            HexKey.WriteNewFile(path, AuditHmacKey.Generate().RawKey, ownerOnly: true);
        }
        return new AuditHmacKey(HexKey.TryReadFile(path, out string? devError) ?? throw new ConfigException("audit.key_file: " + devError));
    }

    private static AuditSigningKey ResolveSigningKey(PolicyGateOptions options)
    {
        if (!string.IsNullOrEmpty(options.Audit.SigningKeyFile))
        {
            return new AuditSigningKey(HexKey.TryReadFile(options.ResolvePath(options.Audit.SigningKeyFile), out string? error)
                ?? throw new ConfigException("audit.signing_key_file: " + error));
        }
        string dataDir = EnsureDataDirectory(options);
        string path = Path.Combine(dataDir, NodeKeyFile);
        if (!File.Exists(path))
        {
            using AuditSigningKey generated = AuditSigningKey.Generate();
            HexKey.WriteNewFile(path, generated.ExportSeed(), ownerOnly: true);
        }
        AuditSigningKey key = new(HexKey.TryReadFile(path, out string? readError) ?? throw new ConfigException("audit.signing_key_file: " + readError));
        string publicPath = Path.Combine(dataDir, NodePublicKeyFile);
        if (!File.Exists(publicPath))
        {
            HexKey.WriteNewFile(publicPath, key.PublicKey.RawKey, ownerOnly: false);
        }
        return key;
    }

    private static string EnsureDataDirectory(PolicyGateOptions options)
    {
        string dataDir = options.DataDirectory;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(dataDir);
        }
        else
        {
            System.IO.Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dataDir;
    }
}
