using System.Globalization;

namespace PolicyGate.Operations;

/// <summary>
/// Exclusive lock on node.data_dir held for the node's lifetime: a second node on the same directory would interleave
/// writes into the audit chain and the store, so it is refused with the holder's pid (an OS lock, released by a crash).
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string LockFileName = "policygate.lock";
    public const string PidFileName = "policygate.pid";

    private readonly FileStream _lock;
    private readonly string _pidPath;

    private DataDirectoryLock(FileStream lockStream, string pidPath)
    {
        _lock = lockStream;
        _pidPath = pidPath;
    }

    /// <summary>Creates data_dir (0700) when missing and locks it; throws <see cref="DataDirectoryInUseException"/> when another process holds it.</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string lockPath = Path.Combine(dataDirectory, LockFileName);
        string pidPath = Path.Combine(dataDirectory, PidFileName);
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix: held until this stream closes or the process dies.
            FileStreamOptions open = new() { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                open.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            stream = new FileStream(lockPath, open);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new DataDirectoryInUseException(dataDirectory, ReadHolderPid(pidPath));
        }
        File.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return new DataDirectoryLock(stream, pidPath);
    }

    /// <summary>The pid recorded by the current holder, or null when it cannot be read.</summary>
    private static int? ReadHolderPid(string pidPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_pidPath);
        }
        catch (IOException)
        {
            // best effort: a stale pid file is harmless, the OS lock is what counts
        }
        _lock.Dispose();
    }
}
