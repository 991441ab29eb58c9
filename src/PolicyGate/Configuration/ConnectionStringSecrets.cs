using System.Text.RegularExpressions;

namespace PolicyGate.Configuration;

/// <summary>Finds and masks passwords in store connection strings (`Password=...;` pairs and `scheme://user:pass@host` URLs).</summary>
public static partial class ConnectionStringSecrets
{
    public const string Mask = "***";

    public static bool ContainsPassword(string connectionString) =>
        PasswordPair().IsMatch(connectionString) || UrlPassword().IsMatch(connectionString);

    public static string MaskPasswords(string connectionString)
    {
        string masked = PasswordPair().Replace(connectionString, m => m.Groups["key"].Value + Mask);
        return UrlPassword().Replace(masked, m => m.Groups["prefix"].Value + Mask + "@");
    }

    [GeneratedRegex(@"(?<key>(?:^|;)\s*(?:password|pwd)\s*=\s*)(?:""[^""]*""|'[^']*'|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPair();

    [GeneratedRegex(@"(?<prefix>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
