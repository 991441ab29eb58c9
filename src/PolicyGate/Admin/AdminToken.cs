using System.Security.Cryptography;
using System.Text;
using PolicyGate.Configuration;

namespace PolicyGate.Admin;

/// <summary>
/// The admin API bearer token: admin.token_file, else env POLICYGATE_ADMIN_TOKEN, else (dev only) a generated
/// <c>data_dir/admin.token</c>. Holds only its SHA-256 so comparisons are constant-time over equal lengths.
/// </summary>
public sealed class AdminToken
{
    public const string EnvironmentVariable = "POLICYGATE_ADMIN_TOKEN";
    public const string GeneratedFileName = "admin.token";

    private readonly byte[] _hash;

    private AdminToken(string token, string source)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Source = source;
        CallerId = "admin-token:" + Convert.ToHexStringLower(_hash)[..8];
    }

    /// <summary>Where the token came from, for the startup log (never the token itself).</summary>
    public string Source { get; }

    /// <summary>The audit identity of callers holding this token.</summary>
    public string CallerId { get; }

    /// <summary>Constant-time check of a presented token.</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(presented)];
        Encoding.UTF8.GetBytes(presented, bytes);
        SHA256.HashData(bytes, hash);
        return CryptographicOperations.FixedTimeEquals(hash, _hash);
    }

    /// <summary>Resolves the token; throws <see cref="ConfigException"/> when production has none or a file is unusable.</summary>
    public static AdminToken Resolve(PolicyGateOptions options)
    {
        if (!string.IsNullOrEmpty(options.Admin.TokenFile))
        {
            string path = options.ResolvePath(options.Admin.TokenFile);
            return new AdminToken(ReadTokenFile(path, "admin.token_file"), "file " + path);
        }

        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return new AdminToken(fromEnv, "env " + EnvironmentVariable);
        }

        if (options.IsProduction)
        {
            throw new ConfigException($"admin.token_file: production mode needs an admin token: set admin.token_file or env {EnvironmentVariable}");
        }

        return GenerateOrReuse(options.DataDirectory);
    }

    private static AdminToken GenerateOrReuse(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, GeneratedFileName);
        if (File.Exists(path))
        {
            return new AdminToken(ReadTokenFile(path, "admin.token_file"), "file " + path + " (generated earlier)");
        }

        try
        {
            CreatePrivateDirectory(dataDirectory);
            string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            FileStreamOptions create = new() { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (StreamWriter writer = new(path, Encoding.ASCII, create))
            {
                writer.Write(token + "\n");
            }

            return new AdminToken(token, "file " + path + " (generated)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"admin.token_file: cannot generate {path}: {e.Message}");
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string ReadTokenFile(string path, string key)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{key}: cannot read {path}: {e.Message}");
        }

        if (text.Length == 0)
        {
            throw new ConfigException($"{key}: {path} is empty");
        }

        return text;
    }
}
