using System.Collections.Frozen;
using System.Reflection;

namespace PolicyGate.Admin.Ui;

/// <summary>The web UI's static files, embedded in the binary (Admin/Ui/wwwroot) and read once at startup.</summary>
public sealed class AdminUiAssets
{
    private const string ResourcePrefix = "ui/";

    private static readonly FrozenDictionary<string, string> s_contentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, AdminUiAsset> _files;

    private AdminUiAssets(FrozenDictionary<string, AdminUiAsset> files)
    {
        _files = files;
    }

    /// <summary>The relative paths served under /ui/ (e.g. "index.html", "js/app.js").</summary>
    public IEnumerable<string> Paths => _files.Keys;

    public static AdminUiAssets Load()
    {
        Assembly assembly = typeof(AdminUiAssets).Assembly;
        Dictionary<string, AdminUiAsset> files = new(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !s_contentTypes.TryGetValue(Path.GetExtension(name), out string? contentType))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using MemoryStream copy = new();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..].Replace('\\', '/')] = new AdminUiAsset(copy.ToArray(), contentType);
        }

        return new AdminUiAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The file at <paramref name="path"/> ("" = index.html), or null.</summary>
    public AdminUiAsset? Find(string path) => _files.GetValueOrDefault(path.Length == 0 ? "index.html" : path);
}
