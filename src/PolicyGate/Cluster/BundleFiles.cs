using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PolicyGate.Cluster;

/// <summary>
/// Bundle files in &lt;data_dir&gt;/bundles (0700): staged.json, last-known-good.json (follower) and published.json (leader).
/// Every write is temp file → fsync → rename → directory fsync, 0600, so a crash leaves the old file or the new one, never a torn one.
/// </summary>
public sealed partial class BundleFiles(string dataDirectory)
{
    public const string Staged = "staged.json";
    public const string LastKnownGood = "last-known-good.json";
    public const string Published = "published.json";

    public string Directory { get; } = Path.Combine(dataDirectory, "bundles");

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    public byte[]? Read(string name) => File.Exists(PathOf(name)) ? File.ReadAllBytes(PathOf(name)) : null;

    public void WriteAtomic(string name, byte[] bytes)
    {
        EnsureDirectory();
        string temp = PathOf(name + ".tmp");
        FileStreamOptions options = new() { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (FileStream stream = new(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, PathOf(name), overwrite: true);
        SyncDirectory();
    }

    /// <summary>Makes the staged file the last-known-good (rename, directory fsync).</summary>
    public void Promote(string from, string to)
    {
        File.Move(PathOf(from), PathOf(to), overwrite: true);
        SyncDirectory();
    }

    public void Delete(string name)
    {
        File.Delete(PathOf(name));
    }

    private void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    private void SyncDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // .NET cannot open a directory as a stream; the rename is durable only once the directory entry is synced.
        int fd = Open(Directory, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open {Directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        using SafeFileHandle handle = new(fd, ownsHandle: true);
        if (Fsync(fd) != 0)
        {
            throw new IOException($"fsync of {Directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);
}
