using PolicyGate.Audit;
using PolicyGate.Core.Audit;

namespace PolicyGate.Cli;

/// <summary>Resolves the keys of `audit verify` (flags, env, files next to DIR) and runs the verifier.</summary>
public static class AuditVerifyCommandLine
{
    /// <summary>Either a report or a one-line usage error.</summary>
    public sealed record Result(AuditVerifyReport? Report, string? UsageError);

    public static Result Run(string? directory, string? keyFile, string? checkpointKeyFile, string? keyFromEnvironment)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return new Result(null, "DIR is required (the audit directory, e.g. ./data/audit)");
        }
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            return new Result(null, $"{dir}: no such directory");
        }
        string dataDir = Path.GetDirectoryName(dir.TrimEnd(Path.DirectorySeparatorChar)) ?? dir;

        byte[]? hmac;
        string? error;
        string devKey = Path.Combine(dataDir, AuditKeyMaterial.DevKeyFile);
        if (!string.IsNullOrEmpty(keyFile))
        {
            hmac = HexKey.TryReadFile(keyFile, out error);
            error = error is null ? null : "--key-file: " + error;
        }
        else if (!string.IsNullOrWhiteSpace(keyFromEnvironment))
        {
            hmac = HexKey.TryParse(keyFromEnvironment, out error);
            error = error is null ? null : AuditKeyMaterial.KeyEnvironmentVariable + ": " + error;
        }
        else if (File.Exists(devKey))
        {
            hmac = HexKey.TryReadFile(devKey, out error);
        }
        else
        {
            return new Result(null, $"no HMAC key: pass --key-file or set {AuditKeyMaterial.KeyEnvironmentVariable}");
        }
        if (hmac is null)
        {
            return new Result(null, error);
        }

        string publicPath = string.IsNullOrEmpty(checkpointKeyFile) ? Path.Combine(dataDir, AuditKeyMaterial.NodePublicKeyFile) : checkpointKeyFile;
        AuditVerifyKey? checkpointKey = null;
        if (File.Exists(publicPath))
        {
            string text;
            try
            {
                text = File.ReadAllText(publicPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new Result(null, $"--checkpoint-key: cannot read {publicPath}: {e.Message}");
            }
            checkpointKey = AuditVerifyKey.TryParse(text, out error);
            if (checkpointKey is null)
            {
                return new Result(null, $"--checkpoint-key: {publicPath}: {error}");
            }
        }
        else if (!string.IsNullOrEmpty(checkpointKeyFile) || HasCheckpoints(dir))
        {
            return new Result(null, $"--checkpoint-key: {publicPath} not found (the node's node.pub)");
        }
        return new Result(AuditChainVerifier.Verify(dir, new AuditHmacKey(hmac), checkpointKey), null);
    }

    private static bool HasCheckpoints(string dir)
    {
        FileInfo file = new(Path.Combine(dir, AuditChainFormat.CheckpointsFile));
        return file.Exists && file.Length > 0;
    }
}
