using System.Text.RegularExpressions;

namespace PolicyGate.Core.Inspection.Tenants;

/// <summary>
/// Reads config/tenants/*.toml (file name = tenant id); an absent directory, or one without any *.toml (e.g. an optional
/// Kubernetes ConfigMap that does not exist mounts as an empty directory), gives the built-in set.
/// </summary>
public static partial class TenantSetLoader
{
    /// <summary>Loads <paramref name="directory"/>; on any bad file returns false with a `file:line: ...` error.</summary>
    public static bool TryLoad(string directory, out TenantSet? tenants, out string? error)
    {
        tenants = null;
        if (!System.IO.Directory.Exists(directory))
        {
            tenants = TenantSet.Builtin;
            error = null;
            return true;
        }

        List<TenantPolicy> policies = [];
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(directory, "*.toml");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{directory}: {ex.Message}";
            return false;
        }

        if (files.Length == 0)
        {
            tenants = TenantSet.Builtin;
            error = null;
            return true;
        }

        Array.Sort(files, StringComparer.Ordinal);
        foreach (string file in files)
        {
            string id = Path.GetFileNameWithoutExtension(file);
            if (!TenantIdPattern().IsMatch(id))
            {
                error = $"{file}:1: tenant id \"{id}\" (the file name) must be 1-64 of [a-z0-9_-], starting with a letter or digit";
                return false;
            }

            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"{file}: {ex.Message}";
                return false;
            }

            if (!TenantFileParser.TryParse(file, id, text, out TenantPolicy? policy, out error))
            {
                return false;
            }

            policies.Add(policy!);
        }

        tenants = new TenantSet(policies, directory);
        error = null;
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex TenantIdPattern();
}
