namespace PolicyGate.Tests.Infrastructure.Processes;

/// <summary>A fresh temp directory for one external process's config, logs and pid files; deleted at dispose.</summary>
public sealed class ProcessWorkDir : IDisposable
{
    public ProcessWorkDir(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pg-{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 16)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to a file in the dir and returns its full path.</summary>
    public string WriteFile(string name, string content)
    {
        string file = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(file, content);
        return file;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string ReadFileOrEmpty(string name)
    {
        string file = File(name);
        return System.IO.File.Exists(file) ? System.IO.File.ReadAllText(file) : "";
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
