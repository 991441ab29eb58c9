namespace PolicyGate.Configuration;

/// <summary>A file of CIDR ranges, one per line (blank lines and `#` comments ignored), e.g. Cloudflare's published ips-v4/ips-v6 lists.</summary>
public static class CidrListFile
{
    /// <summary>The ranges in the file; throws <see cref="ConfigException"/> naming `file:line` for a bad entry or an unreadable file.</summary>
    public static List<string> Read(string key, string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{key}: {path}: {e.Message}");
        }

        List<string> ranges = [];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            string text = (hash >= 0 ? line[..hash] : line).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!ConfigValues.TryParseCidr(text, out _, out string error))
            {
                throw new ConfigException($"{path}:{i + 1}: {key}: {error}");
            }

            ranges.Add(text);
        }

        return ranges;
    }
}
