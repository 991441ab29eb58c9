namespace PolicyGate.Tests.Infrastructure;

/// <summary>Locates files of the repository the tests were built from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "PolicyGate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PolicyGate.sln not found above " + AppContext.BaseDirectory);
    }
}
