using System.Security.Cryptography;

namespace PolicyGate.Core.Audit;

/// <summary>Reads and writes the 32-byte keys of the audit chain as 64 hex characters (DESIGN §11 key files).</summary>
public static class HexKey
{
    public const int KeyBytes = 32;

    /// <summary>Parses 64 hex characters (surrounding whitespace ignored); returns null with a reason on bad input.</summary>
    public static byte[]? TryParse(string? text, out string? error)
    {
        string trimmed = (text ?? "").Trim();
        if (trimmed.Length != KeyBytes * 2)
        {
            error = $"expected {KeyBytes * 2} hex characters, found {trimmed.Length}";
            return null;
        }
        try
        {
            error = null;
            return Convert.FromHexString(trimmed);
        }
        catch (FormatException)
        {
            error = "not hexadecimal";
            return null;
        }
    }

    /// <summary>Reads a key file; returns null with a reason (missing file, wrong length, not hex).</summary>
    public static byte[]? TryReadFile(string path, out string? error)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {path}: {e.Message}";
            return null;
        }
        byte[]? key = TryParse(text, out string? parseError);
        error = key is null ? $"{path}: {parseError}" : null;
        return key;
    }

    /// <summary>Writes <paramref name="key"/> as lowercase hex plus newline to a new file readable only by its owner (0600).</summary>
    public static void WriteNewFile(string path, ReadOnlySpan<byte> key, bool ownerOnly)
    {
        FileStreamOptions options = new() { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using FileStream stream = new(path, options);
        using StreamWriter writer = new(stream);
        writer.Write(Convert.ToHexStringLower(key));
        writer.Write('\n');
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Lowercase hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
