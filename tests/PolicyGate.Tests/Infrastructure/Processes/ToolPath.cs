namespace PolicyGate.Tests.Infrastructure.Processes;

/// <summary>Finds a tool on PATH or in /usr/sbin (haproxy, nginx live there on Debian); throws naming the missing package.</summary>
public static class ToolPath
{
    public static string Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return name;
        }

        string[] dirs = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin", "/usr/local/sbin"];
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"'{name}' is not installed (scripts/test.sh installs it: apt-get install {name})");
    }
}
